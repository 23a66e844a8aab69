import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TEST_RPC_MESSAGE_KEY } from './names';

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
export async function baremetalWith(
  globalOptions: readonly string[],
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('OS_')),
  );
  try {
    const { stdout, stderr } = await run('baremetal', [...globalOptions, ...args], {
      env,
      timeout: 120_000,
    });
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
