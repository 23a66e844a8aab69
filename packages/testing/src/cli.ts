import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_RPC_MESSAGE_KEY } from './names';
import { REPO_ROOT } from './process';

const run = promisify(execFile);

/** Longest wait, in seconds, between two polls of the `baremetal` CLI's `--wait`. */
const CLI_POLL_INTERVAL_S = 0.2;

/**
 * The `baremetal` script, run with python-ironicclient's polls (the `--wait` of provision actions
 * and allocations) at most CLI_POLL_INTERVAL_S apart. Left alone, it reads the node every 10 s
 * after deploy, provide, clean, undeploy and rescue (every 2 s after manage and inspect, 1 s for
 * an allocation): a state reached in half a second was seen 10 s later. The same requests and
 * the same checks of each answer (failed or unexpected stable states end the wait), only sooner.
 */
const FAST_POLLING_BAREMETAL = [
  'import sys',
  'from ironicclient.common import utils',
  'poll = utils.poll',
  `utils.poll = lambda timeout, interval, *rest: poll(timeout, min(interval, ${CLI_POLL_INTERVAL_S}), *rest)`,
  "sys.argv[0] = 'baremetal'",
  'from ironicclient.shell import main',
  'sys.exit(main(sys.argv[1:]))',
].join('\n');

let baremetalPython: string | undefined;

/** The interpreter of the `baremetal` script on the PATH (its `#!` line), found once. */
function baremetalInterpreter(): string {
  if (baremetalPython === undefined) {
    let interpreter = 'python3';
    try {
      const script = execFileSync('sh', ['-c', 'command -v baremetal'], {
        encoding: 'utf8',
      }).trim();
      const shebang = readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
      interpreter = /^#!\s*(\S*python[\d.]*)\s*$/.exec(shebang)?.[1] ?? interpreter;
    } catch {
      // No baremetal on the PATH: python3 then fails to import ironicclient, as the test should.
    }
    baremetalPython = interpreter;
  }
  return baremetalPython;
}

/** The command and arguments that run `baremetal ARGS` with fast polling (see above). */
function baremetalCommand(args: readonly string[]): [string, string[]] {
  return [baremetalInterpreter(), ['-c', FAST_POLLING_BAREMETAL, ...args]];
}

/**
 * Runs the real `baremetal` CLI of python-ironicclient against an endpoint, as an operator
 * would (no auth), for commands that print nothing to parse; rejects when it fails.
 */
export function baremetalQuiet(
  endpoint: string,
  ...args: string[]
): Promise<{ stdout: string; stderr: string }> {
  const [command, commandArgs] = baremetalCommand(args);
  return run(command, commandArgs, {
    env: { ...process.env, OS_AUTH_TYPE: 'none', OS_ENDPOINT: endpoint },
  }).catch((error: unknown) => {
    // "Command failed: baremetal ARGS", not the interpreter and the script's text.
    if (error instanceof Error) {
      error.message = error.message.replace(
        [command, ...commandArgs.slice(0, 2)].join(' '),
        'baremetal',
      );
    }
    throw error;
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
  const [command, commandArgs] = baremetalCommand([...globalOptions, ...args]);
  return runCli(command, commandArgs, {});
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
