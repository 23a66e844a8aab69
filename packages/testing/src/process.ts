import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** The repository root, found from this file's place in packages/testing/src. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote, stdout and stderr interleaved. */
  output(): string;
  /**
   * Resolves when a line matching `pattern` appears (within 50 s by default: start-up under a loaded
   * CI machine); rejects if the process exits first.
   */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited(): Promise<number | string | null>;
  kill(signal?: NodeJS.Signals): void;
}

/** Node's arguments to run the repository's TypeScript: its packages' source, through tsx. */
export const SOURCE_NODE_ARGS: readonly string[] = [
  '--conditions=galvanic-source',
  '--import',
  'tsx',
];

/** Starts a TypeScript entry point of the repository as its own process. */
export function startService(
  entry: string,
  options: { env?: Record<string, string>; args?: string[] } = {},
): ServiceProcess {
  const child = spawn(
    process.execPath,
    [...SOURCE_NODE_ARGS, resolve(REPO_ROOT, entry), ...(options.args ?? [])],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return watchProcess(child, entry);
}

/** Watches a child process started with piped stdout and stderr, named `entry` in errors. */
export function watchProcess(child: ChildProcess, entry: string): ServiceProcess {
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<number | string | null>((done) =>
    child.once('exit', (code, signal) => {
      done(signal ?? code);
      for (const listener of listeners) listener();
    }),
  );
  return {
    child,
    output: () => text,
    exited: () => exit,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    waitFor(pattern, timeoutMs = 50_000) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match) {
            cleanup();
            resolvePromise(match[0]);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(new Error(`${entry} exited before printing ${pattern}:\n${text}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern} from ${entry}:\n${text}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}
