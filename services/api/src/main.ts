import cluster from 'node:cluster';
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
import { connectToConductors } from './conductors';
import { startApi } from './service';
import { HANDED_CONNECTIONS_URL_ENV, superviseWorkers } from './workers';

/** Split mode: the API alone, talking to conductors over RabbitMQ, in `[api] api_workers` processes. */
runMain('galvanic-api', async () => {
  const { config } = loadServiceConfig({ driverSectionsCheckedLater: true });
  const host = config.DEFAULT.host;
  const logger = createLogger({
    service: 'api',
    host,
    level: config.DEFAULT.debug ? 'debug' : undefined,
  });
  // Before connecting anywhere: a split-mode service without a key refuses to start.
  const messageKey = readRpcMessageKey(config.rpc);
  if (!messageKey)
    logger.warn('RPC messages are not authenticated ([rpc] insecure_unauthenticated)');
  if (cluster.isPrimary && config.api.api_workers > 1) {
    await superviseWorkers(
      {
        count: config.api.api_workers,
        host: config.api.host_ip,
        port: config.api.port,
        tls: config.api.enable_ssl_api,
      },
      logger,
    );
    return;
  }
  // In before anything starts: a supervisor may signal as soon as the api answers.
  let stopStarted: (signal: NodeJS.Signals) => Promise<void> = async () => {};
  onShutdownSignal((signal) => stopStarted(signal));
  const dataSource = await connectDatabase(config, `galvanic-api:${host}`);
  const transport = new AmqpTransport({
    url: config.DEFAULT.transport_url,
    namespace: config.DEFAULT.control_exchange,
    logger,
    connectionName: `galvanic-api:${host}`,
    messageKey,
    ca: readCaFile(config.oslo_messaging_rabbit.ssl_ca_file),
  });
  const { rpc, directory } = await connectToConductors(
    config,
    logger,
    dataSource,
    transport.client({ queueWaitMs: config.rpc.conductor_queue_wait * 1000 }),
  );
  const api = await startApi({
    config,
    logger,
    dataSource,
    rpc,
    directory,
    handedConnectionsUrl: cluster.isWorker ? process.env[HANDED_CONNECTIONS_URL_ENV] : undefined,
  });
  stopStarted = async (signal) => {
    logger.info('api stopping', { signal });
    await api.close();
    directory.stop();
    await rpc.close();
    await transport.close();
    await dataSource.destroy();
  };
});
