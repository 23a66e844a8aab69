/**
 * The deploy image's file tree, built by the script its Dockerfile runs (scripts/build-dist.sh),
 * checked and started without a container engine: compiled JavaScript, production dependencies
 * only, and the all-in-one service answering Ironic's API from it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT, runCommand } from '@galvanic/testing';

/** Files under `dir` (not node_modules) whose name matches `pattern`. */
function filesMatching(dir: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) found.push(...filesMatching(path, pattern));
    else if (pattern.test(name)) found.push(path);
  }
  return found;
}

/** The environment of a process started from the built tree: no workspace source condition. */
function productionEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: undefined, ...extra };
}

describe('the production file tree (scripts/build-dist.sh)', () => {
  let work: string;
  let out: string;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'galvanic-dist-'));
    // Run as root, embedded PostgreSQL runs its binaries as the postgres user: it must reach them.
    chmodSync(work, 0o755);
    out = join(work, 'app');
    await runCommand(join(REPO_ROOT, 'scripts/build-dist.sh'), [out], {
      cwd: REPO_ROOT,
      timeoutMs: 480_000,
    });
  }, 600_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('holds compiled JavaScript and production dependencies only', () => {
    expect(readdirSync(join(out, 'bin')).sort()).toEqual([
      'galvanic-all-in-one.js',
      'galvanic-api.js',
      'galvanic-conductor.js',
      'galvanic-db.js',
      'galvanic.js',
    ]);
    expect(filesMatching(out, /\.ts$/)).toEqual([]);
    for (const tool of ['tsx', 'typescript', 'vitest', 'eslint', 'prettier', 'esbuild']) {
      expect(existsSync(join(out, 'node_modules', tool)), tool).toBe(false);
    }
    const sdk = JSON.parse(
      readFileSync(join(out, 'node_modules/@galvanic/driver-sdk/package.json'), 'utf8'),
    ) as { exports: Record<string, unknown> };
    expect(JSON.stringify(sdk.exports)).not.toContain('src/');
    expect(existsSync(join(out, 'node_modules/@galvanic/driver-sdk/dist/index.js'))).toBe(true);
  });

  it('lists its drivers with the compiled CLI', async () => {
    const { stdout } = await runCommand(
      process.execPath,
      [join(out, 'bin/galvanic.js'), 'drivers', 'available', '--json'],
      { cwd: out, env: productionEnv({ GALVANIC_DEFAULT__DRIVER_PATH: join(work, 'drivers') }) },
    );
    const packages = new Set(
      (JSON.parse(stdout) as { package: string }[]).map((row) => row.package),
    );
    expect([...packages].sort()).toEqual([
      '@galvanic/driver-generic',
      '@galvanic/driver-ipmi',
      '@galvanic/driver-redfish',
    ]);
  });

  it('starts the all-in-one service, which answers GET /v1', async () => {
    const port = await freePort();
    const env = productionEnv({
      GALVANIC_API__PORT: String(port),
      GALVANIC_API__API_WORKERS: '1',
      GALVANIC_CONDUCTOR__STATUS_PORT: '0',
      GALVANIC_DATABASE__EMBEDDED_DATA_DIR: join(work, 'state/pgdata'),
      GALVANIC_DEFAULT__DRIVER_PATH: join(work, 'state/drivers'),
    });
    delete env.NODE_OPTIONS;
    server = spawn(process.execPath, [join(out, 'bin/galvanic-all-in-one.js')], {
      cwd: out,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 240_000;
    let body: { id?: string; nodes?: unknown } | undefined;
    while (Date.now() < deadline && server.exitCode === null) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/v1`);
        if (response.ok) {
          body = (await response.json()) as typeof body;
          break;
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(body, output).toMatchObject({ id: 'v1' });
    expect(body!.nodes).toBeDefined();
  }, 300_000);
});
