import { readRpcMessageKey } from '@galvanic/config';
import { createLogger } from '@galvanic/logging';
import { AmqpTransport } from '@galvanic/rpc';
import {
  connectDatabase,
  loadServiceConfig,
  onShutdownSignal,
  runMain,
  readCaFile,
} from '@galvanic/runtime';
import { loadConductorDrivers } from './drivers';
import { startConductor } from './service';

export interface SplitModeConductorOptions {
  /** The RPC contract version to speak instead of this release's: for tests only. */
  contractVersion?: string;
}

/** Split mode: one conductor process, serving RPC from RabbitMQ. */
export function runSplitModeConductor(options: SplitModeConductorOptions = {}): void {
  runMain('galvanic-conductor', async () => {
    const { config, raw } = loadServiceConfig({ driverSectionsCheckedLater: true });
    const host = config.DEFAULT.host;
    const logger = createLogger({
      service: 'conductor',
      host,
      level: config.DEFAULT.debug ? 'debug' : undefined,
    });
    // Before connecting anywhere: a split-mode service without a key refuses to start.
    const messageKey = readRpcMessageKey(config.rpc);
    if (!messageKey)
      logger.warn('RPC messages are not authenticated ([rpc] insecure_unauthenticated)');
    // In before anything starts: a supervisor may signal as soon as the conductor reports ready.
    let stopStarted: () => Promise<void> = async () => {};
    onShutdownSignal(() => stopStarted());
    const drivers = await loadConductorDrivers(config, raw, logger);
    const dataSource = await connectDatabase(config, `galvanic-conductor:${host}`);
    const transport = new AmqpTransport({
      url: config.DEFAULT.transport_url,
      namespace: config.DEFAULT.control_exchange,
      logger,
      connectionName: `galvanic-conductor:${host}`,
      messageKey,
      ca: readCaFile(config.oslo_messaging_rabbit.ssl_ca_file),
    });
    const conductor = await startConductor({
      config,
      drivers,
      databaseUrl: config.database.connection!,
      logger,
      dataSource,
      transport: transport.server(host, { prefetch: config.conductor.workers_pool_size }),
      contractVersion: options.contractVersion,
    });
    stopStarted = async () => {
      await conductor.stop();
      await transport.close();
      await dataSource.destroy();
    };
  });
}
