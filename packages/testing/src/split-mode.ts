import { splitModeEnv } from './cli';
import { createTestDatabase, type TestDatabase } from './database';
import { uniqueNamespace } from './names';
import { freePort } from './ports';
import { startService, type ServiceProcess } from './process';

/** How long each service may take to start. */
const STARTUP_TIMEOUT_MS = 90_000;

export interface SplitModeOptions {
  /** Conductor host names; two by default. */
  conductors?: readonly string[];
  /** Environment of every service, on top of the test defaults (fast heartbeats, own names). */
  env?: Record<string, string>;
  /** Extra environment of one conductor. */
  conductorEnv?: (host: string) => Record<string, string>;
  /** Database name prefix, for benchmarks to tell their databases apart. */
  databasePrefix?: string;
  /**
   * The api's port, for a test whose services must know the api's URL before it starts (e.g.
   * `[agent] api_url`); a free one by default.
   */
  apiPort?: number;
}

export interface SplitMode {
  readonly apiUrl: string;
  readonly database: TestDatabase;
  readonly namespace: string;
  readonly conductors: ReadonlyMap<string, ServiceProcess>;
  readonly api: ServiceProcess;
  /** Every process started, conductors first. */
  readonly processes: readonly ServiceProcess[];
  /** Starts another service process against the same database and namespace. */
  start(entry: string, env?: Record<string, string>): ServiceProcess;
  /** Kills every process (SIGKILL) and drops the database. */
  stop(): Promise<void>;
}

/**
 * Galvanic in split mode as an operator runs it: a database of its own migrated by
 * `pnpm db:migrate`'s entry point, conductors and the api as separate processes over RabbitMQ.
 */
export async function startSplitMode(options: SplitModeOptions = {}): Promise<SplitMode> {
  const database = await createTestDatabase(options.databasePrefix);
  const namespace = uniqueNamespace();
  const env = (extra: Record<string, string> = {}) =>
    splitModeEnv(database.url, namespace, { ...options.env, ...extra });
  const processes: ServiceProcess[] = [];
  const start = (entry: string, extra?: Record<string, string>) => {
    const child = startService(entry, { env: env(extra) });
    processes.push(child);
    return child;
  };
  try {
    const migration = startService('packages/db/src/cli.ts', { args: ['migrate'], env: env() });
    if ((await migration.exited()) !== 0)
      throw new Error(`migrations failed:\n${migration.output()}`);
    const conductors = new Map<string, ServiceProcess>();
    for (const host of options.conductors ?? ['c1', 'c2']) {
      conductors.set(
        host,
        start('services/conductor/src/main.ts', {
          GALVANIC_DEFAULT__HOST: host,
          ...options.conductorEnv?.(host),
        }),
      );
    }
    const port = options.apiPort ?? (await freePort());
    const api = start('services/api/src/main.ts', {
      GALVANIC_DEFAULT__HOST: 'api',
      GALVANIC_API__PORT: String(port),
    });
    // Starting a service compiles its TypeScript: on a loaded machine that takes far longer than
    // the default wait.
    await Promise.all(
      processes.map((p) => p.waitFor(/conductor started|api listening/, STARTUP_TIMEOUT_MS)),
    );
    return {
      apiUrl: `http://127.0.0.1:${port}`,
      database,
      namespace,
      conductors,
      api,
      processes,
      start,
      async stop() {
        for (const child of processes) child.kill('SIGKILL');
        await Promise.all(processes.map((child) => child.exited()));
        await database.drop();
      },
    };
  } catch (error) {
    for (const child of processes) child.kill('SIGKILL');
    await Promise.all(processes.map((child) => child.exited()));
    await database.drop();
    throw error;
  }
}
