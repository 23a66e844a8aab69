import 'reflect-metadata';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { allEntities } from './entities';
import { allMigrations } from './migrations';

export interface DatabaseOptions {
  url: string;
  maxPoolSize?: number;
  /** Name shown in pg_stat_activity, so operators can tell services apart. */
  applicationName?: string;
  /** PEM CA bundle: connect over TLS and verify the server's certificate and name with it. */
  ca?: Buffer | undefined;
}

/** The pg pool each data source made here connects through, once it is initialized. */
const poolsByDataSource = new WeakMap<DataSource, () => pg.Pool | undefined>();

/**
 * A typeorm data source over PostgreSQL with Galvanic's entities and migrations; never synchronize.
 * Its connections come from a `pg.Pool` the stores also send their hot-path SQL to (see
 * {@link poolOf}): typeorm builds the pool from the `driver` it is given, here `pg` with a `Pool`
 * class that hands over the instance it makes.
 */
export function createDataSource(options: DatabaseOptions): DataSource {
  let pool: pg.Pool | undefined;
  const handOver = (created: pg.Pool) => (pool = created);
  class SharedPool extends pg.Pool {
    constructor(config?: pg.PoolConfig) {
      super(config);
      handOver(this);
    }
  }
  const driver: typeof pg = Object.assign(Object.create(pg) as typeof pg, { Pool: SharedPool });
  const dataSource = new DataSource({
    driver,
    type: 'postgres',
    url: options.url,
    entities: allEntities,
    migrations: allMigrations,
    migrationsTableName: 'galvanic_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: options.applicationName ?? 'galvanic',
    extra: { max: options.maxPoolSize ?? 10 },
    ...(options.ca ? { ssl: { ca: options.ca, rejectUnauthorized: true } } : {}),
  });
  poolsByDataSource.set(dataSource, () => pool);
  return dataSource;
}

/**
 * The pg pool under a data source from {@link createDataSource}: hot paths send their SQL
 * straight to it (prepared statements included), skipping the query runner typeorm builds
 * around every statement. The pool is the data source's: `destroy()` ends it.
 */
export function poolOf(dataSource: DataSource): pg.Pool {
  const pool = poolsByDataSource.get(dataSource)?.();
  if (!pool) {
    throw new Error(
      poolsByDataSource.has(dataSource)
        ? 'the data source is not initialized'
        : 'the data source was not made by createDataSource',
    );
  }
  return pool;
}

/** Rejects unless the database answers a trivial statement: for readiness checks. */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}

/** Applies pending migrations; returns the names applied. Safe to run from several processes. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  // A session advisory lock keeps two processes that start together from racing.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await runner.release();
  }
}

const MIGRATION_LOCK_KEY = 7_210_001;
