import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@galvanic/testing';

const run = promisify(execFile);
const POSTGRES_USER = 'postgres';

/** A PostgreSQL server of a test's own, which the test may stop and start at will. */
export interface PrivatePostgres {
  /** URL of its `postgres` database. */
  readonly url: string;
  stop(): Promise<void>;
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

/** Runs a PostgreSQL program as the postgres user (the server refuses to run as root). */
async function asPostgres(program: string, args: string[]): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot
    ? ['runuser', ['-u', POSTGRES_USER, '--', program, ...args]]
    : [program, args];
  await run(command, commandArgs, { timeout: 60_000 });
}

/**
 * Creates and starts a throw-away PostgreSQL cluster (trust authentication) in a temporary
 * directory, listening on a free port of 127.0.0.1.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDirectory();
  const root = await mkdtemp(join(tmpdir(), 'galvanic-pg-'));
  const dataDir = join(root, 'data');
  const port = await freePort();
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', POSTGRES_USER]);
    const { stdout: group } = await run('id', ['-g', POSTGRES_USER]);
    await chown(root, Number(stdout.trim()), Number(group.trim()));
  }
  await asPostgres(join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', POSTGRES_USER]);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`;
  let running = false;
  const start = async () => {
    await asPostgres(join(bin, 'pg_ctl'), [
      'start',
      '-D',
      dataDir,
      '-w',
      '-o',
      options,
      '-l',
      join(root, 'server.log'),
    ]);
    running = true;
  };
  const stop = async () => {
    await asPostgres(join(bin, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w']);
    running = false;
  };
  await start();
  return {
    url: `postgres://${POSTGRES_USER}@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      if (running) await stop().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}
