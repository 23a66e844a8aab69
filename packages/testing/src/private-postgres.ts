import { execFile } from 'node:child_process';
import { chmod, chown, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';

const run = promisify(execFile);
const POSTGRES_USER = 'postgres';

/** A PostgreSQL server of a test's own, which the test may stop, start and crash at will. */
export interface PrivatePostgres {
  /** URL of its `galvanic` database, for the services under test. */
  readonly url: string;
  /** `pg_ctl restart -m immediate`: every session is cut, as in a crash, and the server comes back. */
  restartImmediate(): Promise<void>;
  /** Stops the server: `fast` ends sessions politely, `immediate` as a crash would. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops the server if running and removes its files. */
  destroy(): Promise<void>;
}

/** The newest PostgreSQL installed under /usr/lib/postgresql. */
function binDirectory(): string {
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no PostgreSQL under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/** Runs a PostgreSQL program as the postgres user when we are root (the server refuses root). */
async function asPostgres(program: string, args: string[]): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot
    ? ['runuser', ['-u', POSTGRES_USER, '--', program, ...args]]
    : [program, args];
  await run(command, commandArgs, { timeout: 60_000 });
}

async function idOf(flag: '-u' | '-g'): Promise<number> {
  const { stdout } = await run('id', [flag, POSTGRES_USER]);
  return Number(stdout.trim());
}

/**
 * Creates and starts a throw-away PostgreSQL cluster (trust authentication, durable commits) in
 * a temporary directory, listening on a free port of 127.0.0.1, with a `galvanic` database.
 */
export async function startPrivatePostgres(
  options: { tls?: { certFile: string; keyFile: string } } = {},
): Promise<PrivatePostgres> {
  const bin = binDirectory();
  const root = await mkdtemp(join(tmpdir(), 'galvanic-pg-'));
  const dataDir = join(root, 'data');
  const port = await freePort();
  if (process.getuid?.() === 0) await chown(root, await idOf('-u'), await idOf('-g'));
  await asPostgres(join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-A',
    'trust',
    '-U',
    POSTGRES_USER,
    '--no-sync',
  ]);
  // fsync stays on: a crash-restart must keep what was committed, as a real server does.
  let serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=on`;
  if (options.tls) {
    // PostgreSQL reads its key only when its own user owns it and nobody else may read it.
    const cert = join(root, 'server.pem');
    const key = join(root, 'server.key');
    await copyFile(options.tls.certFile, cert);
    await copyFile(options.tls.keyFile, key);
    await chmod(key, 0o600);
    if (process.getuid?.() === 0) {
      for (const file of [cert, key]) await chown(file, await idOf('-u'), await idOf('-g'));
    }
    serverOptions += ` -c ssl=on -c ssl_cert_file=${cert} -c ssl_key_file=${key}`;
  }
  const ctl = (...args: string[]) =>
    asPostgres(join(bin, 'pg_ctl'), [
      '-D',
      dataDir,
      '-o',
      serverOptions,
      '-l',
      join(root, 'server.log'),
      '-w',
      ...args,
    ]);
  await ctl('start');
  let running = true;
  await asPostgres(join(bin, 'createdb'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    POSTGRES_USER,
    'galvanic',
  ]);
  return {
    url: `postgres://${POSTGRES_USER}@127.0.0.1:${port}/galvanic`,
    restartImmediate: () => ctl('restart', '-m', 'immediate'),
    async stop(mode = 'fast') {
      await ctl('stop', '-m', mode);
      running = false;
    },
    async start() {
      await ctl('start');
      running = true;
    },
    async destroy() {
      if (running) await ctl('stop', '-m', 'immediate').catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}
