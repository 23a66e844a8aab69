import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Only the type: the stack (the api, the conductor and every driver) is imported when an
// environment is created, not by every test file that imports @galvanic/testing.
import type { InProcessStack } from '@galvanic/all-in-one';
import { createLogger, silentLogger, type Logger } from '@galvanic/logging';
import {
  freeLocalPort,
  loadServiceConfig,
  startEmbeddedPostgres,
  EmbeddedPostgresStartFailed,
  type RunningEmbeddedPostgres,
} from '@galvanic/runtime';
import { createTestDatabase, type TestDatabase } from './database';
import { startSplitMode, type SplitMode, type SplitModeOptions } from './split-mode';

/** A running Galvanic a test talks to over HTTP, whatever started it. */
export interface GalvanicEnvironment {
  /** Where Ironic's API answers, e.g. `http://127.0.0.1:41234`. */
  readonly apiUrl: string;
  /** The database the services use, for checks a test makes behind the API's back. */
  readonly databaseUrl: string | undefined;
  /** Stops everything this environment started; safe to call twice. */
  teardown(): Promise<void>;
}

export interface InProcessOptions {
  /** Conductor host names; one, `c1`, by default. */
  conductors?: readonly string[];
  /** Options as `GALVANIC_<SECTION>__<OPTION>` variables, on top of the test defaults. */
  env?: Record<string, string>;
  /**
   * Where the database comes from: a PostgreSQL embedded for this environment alone (the
   * default, needs no server), or a fresh database on the shared test server.
   */
  database?: 'embedded' | 'shared';
  /** Log to stderr at this level; silent when unset. */
  logLevel?: string;
  /** Log JSON lines here instead (at logLevel, info by default), for tests that read the log. */
  logStream?: NodeJS.WritableStream;
}

/** Test defaults: fast heartbeats, the api on a free loopback port. */
const IN_PROCESS_DEFAULTS: Record<string, string> = {
  GALVANIC_DEFAULT__HOST: 'c1',
  GALVANIC_API__HOST_IP: '127.0.0.1',
  GALVANIC_API__PORT: '0',
  GALVANIC_API__CONDUCTOR_REFRESH_INTERVAL: '0.2',
  GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL: '0.5',
  GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: '3',
  GALVANIC_DEPLOY__HTTP_SERVER_PORT: '0',
};

export interface InProcessEnvironment extends GalvanicEnvironment {
  readonly stack: InProcessStack;
}

interface OwnedDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Ports an embedded PostgreSQL tries before a start fails on a taken port. */
const PORT_ATTEMPTS = 3;

/** A free port can be taken by another test file before PostgreSQL binds it: try another. */
async function startOnAFreePort(dataDir: string, logger: Logger): Promise<RunningEmbeddedPostgres> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startEmbeddedPostgres(dataDir, await freeLocalPort(), logger);
    } catch (error) {
      const taken = error instanceof EmbeddedPostgresStartFailed && error.code === 'EADDRINUSE';
      if (!taken || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function embeddedDatabase(logger: Logger): Promise<OwnedDatabase> {
  const folder = await mkdtemp(join(tmpdir(), 'galvanic-env-'));
  // Run as root, PostgreSQL runs as its own user, which must be able to reach its data folder.
  await chmod(folder, 0o755);
  let server: RunningEmbeddedPostgres;
  try {
    server = await startOnAFreePort(join(folder, 'pgdata'), logger);
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  return {
    url: server.url,
    drop: async () => {
      await server.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

async function sharedDatabase(): Promise<OwnedDatabase> {
  const database: TestDatabase = await createTestDatabase('env');
  return { url: database.url, drop: () => database.drop() };
}

/**
 * Galvanic in this process: the api and `conductors` over the in-process transport, on a
 * database of its own. Fast to start, and needs neither RabbitMQ nor (by default) a PostgreSQL
 * server: for testing the API's behaviour.
 */
export async function createInProcess(
  options: InProcessOptions = {},
): Promise<InProcessEnvironment> {
  const logger = options.logStream
    ? createLogger({
        service: 'test-env',
        host: 'test',
        level: options.logLevel ?? 'info',
        stream: options.logStream,
      })
    : options.logLevel
      ? createLogger({ service: 'test-env', host: 'test', level: options.logLevel })
      : silentLogger();
  const database =
    options.database === 'shared' ? await sharedDatabase() : await embeddedDatabase(logger);
  // Boot files of this environment alone, unless the test names its own http_root.
  const httpRoot = await mkdtemp(join(tmpdir(), 'galvanic-httpboot-'));
  const dropAll = async (): Promise<void> => {
    await database.drop();
    await rm(httpRoot, { recursive: true, force: true });
  };
  let stack: InProcessStack;
  try {
    const { config, raw } = loadServiceConfig({
      argv: [],
      env: {
        ...IN_PROCESS_DEFAULTS,
        GALVANIC_DEPLOY__HTTP_ROOT: httpRoot,
        ...options.env,
        DATABASE_URL: database.url,
      },
      driverSectionsCheckedLater: true,
    });
    const { startInProcessStack } = await import('@galvanic/all-in-one');
    stack = await startInProcessStack({
      config,
      raw,
      logger,
      databaseUrl: database.url,
      conductorHosts: options.conductors ?? [config.DEFAULT.host],
    });
  } catch (error) {
    await dropAll();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    stack,
    apiUrl: stack.apiUrl,
    databaseUrl: database.url,
    teardown: () =>
      (stopped ??= (async () => {
        await stack.stop();
        await dropAll();
      })()),
  };
}

export interface SplitEnvironment extends GalvanicEnvironment {
  readonly split: SplitMode;
}

/**
 * Galvanic as an operator runs it: the api and conductors as processes over the real RabbitMQ,
 * on a database of its own on the shared test server. For end-to-end and fault tests.
 */
export async function createSplit(options: SplitModeOptions = {}): Promise<SplitEnvironment> {
  const split = await startSplitMode(options);
  let stopped: Promise<void> | undefined;
  return {
    split,
    apiUrl: split.apiUrl,
    databaseUrl: split.database.url,
    teardown: () => (stopped ??= split.stop()),
  };
}

/** A Galvanic (or an Ironic) someone else runs; teardown leaves it alone. */
export function fromExisting(apiUrl: string): GalvanicEnvironment {
  return { apiUrl: apiUrl.replace(/\/+$/, ''), databaseUrl: undefined, teardown: async () => {} };
}
