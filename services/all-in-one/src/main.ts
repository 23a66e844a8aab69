import { createLogger } from '@galvanic/logging';
import { InProcessTransport } from '@galvanic/rpc';
import { connectToConductors, startApi } from '@galvanic/api';
import { loadConductorDrivers, startConductor } from '@galvanic/conductor';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from './embedded-postgres';
import {
  connectDatabase,
  freeLocalPort,
  loadServiceConfig,
  onShutdownSignal,
  runMain,
} from '@galvanic/runtime';

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

  const drivers = await loadConductorDrivers(config, raw, logger);
  let embedded: RunningEmbeddedPostgres | undefined;
  if (!config.database.connection) {
    embedded = await startEmbeddedPostgres(
      config.database.embedded_data_dir,
      await freeLocalPort(),
      logger,
    );
  }
  const dataSource = await connectDatabase(config, `galvanic:${host}`, {
    url: embedded?.url,
    runMigrations: true,
  });

  const transport = new InProcessTransport();
  const conductor = await startConductor({
    config,
    drivers,
    databaseUrl: embedded?.url ?? config.database.connection!,
    logger,
    dataSource,
    transport: transport.server(host),
    statusServer: false,
  });
  const { rpc, directory } = await connectToConductors(
    config,
    logger,
    dataSource,
    transport.client(),
  );
  const api = await startApi({ config, logger, dataSource, rpc, directory });
  process.stdout.write(`Galvanic is serving Ironic's API at ${api.url}\n`);

  // embedded-postgres stops its server on these signals by itself; this handler stops it last,
  // after the work that still needs it, and goes on past a step that fails (on Ctrl-C in a
  // terminal the server gets the signal too and may already be going down).
  onShutdownSignal(
    async (signal) => {
      logger.info('stopping', { signal });
      const steps: [string, () => Promise<unknown> | void][] = [
        ['api', () => api.close()],
        ['conductor list', () => directory.stop()],
        ['conductor', () => conductor.stop()],
        ['rpc', () => rpc.close()],
        ['database', () => dataSource.destroy()],
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
});
