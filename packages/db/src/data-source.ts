import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { allEntities } from './entities';
import { allMigrations } from './migrations';

export interface DatabaseOptions {
  url: string;
  maxPoolSize?: number;
  /** Name shown in pg_stat_activity, so operators can tell services apart. */
  applicationName?: string;
}

/** A typeorm data source over PostgreSQL with Galvanic's entities and migrations; never synchronize. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
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
  });
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
