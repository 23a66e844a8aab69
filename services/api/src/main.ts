import { ConductorDirectory } from '@galvanic/cluster';
import { ConductorStore } from '@galvanic/db';
import { createLogger } from '@galvanic/logging';
import { AmqpTransport, RpcClient } from '@galvanic/rpc';
import { connectDatabase, loadServiceConfig, onShutdownSignal, runMain } from '@galvanic/runtime';
import { startApi } from './service';

/** Split mode: the API alone, talking to conductors over RabbitMQ. */
runMain('galvanic-api', async () => {
  const { config } = loadServiceConfig({ driverSectionsCheckedLater: true });
  const host = config.DEFAULT.host;
  const logger = createLogger({
    service: 'api',
    host,
    level: config.DEFAULT.debug ? 'debug' : undefined,
  });
  const dataSource = await connectDatabase(config, `galvanic-api:${host}`);
  const transport = new AmqpTransport({
    url: config.DEFAULT.transport_url,
    namespace: config.DEFAULT.control_exchange,
    logger,
    connectionName: `galvanic-api:${host}`,
  });
  const rpc = new RpcClient({
    transport: transport.client(),
    caller: `api:${host}`,
    logger,
    defaultTimeoutMs: config.DEFAULT.rpc_response_timeout * 1000,
  });
  const directory = new ConductorDirectory(
    new ConductorStore(dataSource, config.conductor.heartbeat_timeout),
    config.api.conductor_refresh_interval * 1000,
    logger,
  );
  await directory.start();
  const api = await startApi({ config, logger, dataSource, rpc, directory });
  onShutdownSignal(async (signal) => {
    logger.info('api stopping', { signal });
    await api.close();
    directory.stop();
    await rpc.close();
    await transport.close();
    await dataSource.destroy();
  });
});
