import type { DataSource } from 'typeorm';
import { ConductorDirectory } from '@galvanic/cluster';
import { CONDUCTOR_CONTRACT_VERSION } from '@galvanic/conductor-api';
import type { CoreConfig } from '@galvanic/config';
import { ConductorStore } from '@galvanic/db';
import type { Logger } from '@galvanic/logging';
import { RpcClient, type RpcClientTransport } from '@galvanic/rpc';

/** The api's way to conductors: an RPC client and the live-conductor directory that routes it. */
export async function connectToConductors(
  config: CoreConfig,
  logger: Logger,
  dataSource: DataSource,
  transport: RpcClientTransport,
): Promise<{ rpc: RpcClient; directory: ConductorDirectory }> {
  const rpc = new RpcClient({
    transport,
    caller: `api:${config.DEFAULT.host}`,
    logger,
    contractVersion: CONDUCTOR_CONTRACT_VERSION,
    defaultTimeoutMs: config.DEFAULT.rpc_response_timeout * 1000,
  });
  const directory = new ConductorDirectory(
    new ConductorStore(dataSource, config.conductor.heartbeat_timeout),
    config.api.conductor_refresh_interval * 1000,
    logger,
    CONDUCTOR_CONTRACT_VERSION,
  );
  await directory.start();
  return { rpc, directory };
}
