import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_RPC_MESSAGE_KEY } from './names';
import { REPO_ROOT } from './process';

const run = promisify(execFile);

/**
 * Runs the real `baremetal` CLI of python-ironicclient against an endpoint, as an operator
 * would (no auth), for commands that print nothing to parse; rejects when it fails.
 */
export function baremetalQuiet(
  endpoint: string,
  ...args: string[]
): Promise<{ stdout: string; stderr: string }> {
  return run('baremetal', args, {
    env: { ...process.env, OS_AUTH_TYPE: 'none', OS_ENDPOINT: endpoint },
  });
}

/** Runs the real `baremetal` CLI (see baremetalQuiet) and parses its `-f json` output. */
export async function baremetal(endpoint: string, ...args: string[]): Promise<unknown> {
  const { stdout } = await baremetalQuiet(endpoint, ...args, '-f', 'json');
  return JSON.parse(stdout) as unknown;
}

/** The environment of a split-mode service in a test: its own database and queue namespace. */
export function splitModeEnv(
  databaseUrl: string,
  namespace: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    AMQP_URL: process.env.GALVANIC_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    GALVANIC_DEFAULT__CONTROL_EXCHANGE: namespace,
    GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL: '0.5',
    GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: '3',
    GALVANIC_CONDUCTOR__STATUS_PORT: '0',
    GALVANIC_API__CONDUCTOR_REFRESH_INTERVAL: '0.5',
    GALVANIC_RPC__MESSAGE_KEY: TEST_RPC_MESSAGE_KEY,
    ...extra,
  };
}

/**
 * Runs the real `baremetal` CLI with the given global options (e.g. `--os-auth-type
 * http_basic --os-username ...`) and nothing from the environment's OS_ variables; resolves with
 * its output and exit code whatever they are, so a test can check refusals.
 */
export function baremetalWith(
  globalOptions: readonly string[],
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli('baremetal', [...globalOptions, ...args], {});
}

/**
 * The newer python-ironicclient (Debian trixie's, with commands bookworm's 5.0.1 lacks, such as
 * `node inventory save`) that `scripts/fetch-ironicclient.sh` keeps in ~/.cache/galvanic; fetched
 * now when the cache has none. Returns the cache directory.
 */
export function newerIronicclient(): string {
  return execFileSync('bash', [join(REPO_ROOT, 'scripts', 'fetch-ironicclient.sh')], {
    encoding: 'utf8',
    timeout: 300_000,
  }).trim();
}

/**
 * baremetalWith, with the newer python-ironicclient (see newerIronicclient) run by Debian's
 * python3 and its installed openstacksdk and osc-lib.
 */
export function newerBaremetalWith(
  globalOptions: readonly string[],
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cache = newerIronicclient();
  return runCli('/usr/bin/python3', [join(cache, 'bin', 'baremetal'), ...globalOptions, ...args], {
    PYTHONPATH: join(cache, 'dist-packages'),
  });
}

async function runCli(
  command: string,
  args: readonly string[],
  extraEnv: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OS_'))),
    ...extraEnv,
  };
  try {
    const { stdout, stderr } = await run(command, args, { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    };
  }
}
