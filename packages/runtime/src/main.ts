import { ConfigError } from '@galvanic/config';

/**
 * Runs a service's entry point: a refusal to start (bad config, taken hostname) prints one clear
 * line and exits 1; anything else prints its stack.
 */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${name}: configuration error: ${error.message}\n`);
    } else if (error instanceof Error && 'status' in error) {
      process.stderr.write(`${name}: cannot start: ${error.message}\n`);
    } else {
      process.stderr.write(
        `${name}: cannot start: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
    }
    process.exit(1);
  });
}

/**
 * Calls `stop` once on SIGTERM or SIGINT; a second signal exits at once. With `exclusive`, the
 * handlers libraries registered before are dropped, so none of them tears things down (such as
 * an embedded database) while `stop` still needs them.
 */
export function onShutdownSignal(
  stop: (signal: NodeJS.Signals) => Promise<void>,
  options: { exclusive?: boolean } = {},
): void {
  if (options.exclusive) {
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
  }
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(
          `shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
