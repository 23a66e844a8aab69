import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@galvanic/testing';

const run = promisify(execFile);

/** A PostgreSQL server of the test's own, which it may stop, start and crash at will. */
export interface PrivatePostgres {
  /** A database on it for the services. */
  readonly url: string;
  /** `pg_ctl restart -m immediate`: every session is cut, as in a crash, and the server comes back. */
  restartImmediate(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its files. */
  destroy(): Promise<void>;
}

function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL binaries in /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/** Runs a PostgreSQL binary as the postgres user (initdb and pg_ctl refuse to run as root). */
async function asPostgres(command: string, args: string[]): Promise<void> {
  await run('runuser', ['-u', 'postgres', '--', join(binDir(), command), ...args]);
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'galvanic-pg-'));
  chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const data = join(dir, 'data');
  const port = await freePort();
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`;
  const ctl = (...args: string[]) =>
    asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', ...args]);
  await ctl('start');
  await asPostgres('createdb', [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    'postgres',
    'galvanic',
  ]);
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/galvanic`,
    async restartImmediate() {
      await ctl('restart', '-m', 'immediate');
    },
    async stop() {
      await ctl('stop', '-m', 'immediate');
      running = false;
    },
    async start() {
      await ctl('start');
      running = true;
    },
    async destroy() {
      if (running) await ctl('stop', '-m', 'immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function idOf(flag: '-u' | '-g', name: string): number {
  return Number(execFileSync('id', [flag, name]).toString().trim());
}
function uidOf(name: string): number {
  return idOf('-u', name);
}
function gidOf(name: string): number {
  return idOf('-g', name);
}
