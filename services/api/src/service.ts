import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { ConductorDirectory } from '@galvanic/cluster';
import type { CoreConfig } from '@galvanic/config';
import {
  AllocationStore,
  BiosSettingStore,
  DeployTemplateStore,
  InspectionRuleStore,
  ChassisStore,
  ConductorStore,
  NodeStore,
  PortgroupStore,
  PortStore,
  VolumeConnectorStore,
  VolumeTargetStore,
  pingDatabase,
} from '@galvanic/db';
import type { Logger } from '@galvanic/logging';
import { pingMethod, type RpcClient } from '@galvanic/rpc';
import { createApp } from './app';
import type { ReadinessCheck } from './controllers/health';

export interface ApiServiceDependencies {
  config: CoreConfig;
  logger: Logger;
  dataSource: DataSource;
  rpc: RpcClient;
  directory: ConductorDirectory;
}

export interface RunningApi {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

const READINESS_PING_TIMEOUT_MS = 2000;

/** Readiness: the database answers, and at least one live conductor answers an RPC ping. */
function readinessChecks(deps: ApiServiceDependencies): ReadinessCheck[] {
  return [
    { name: 'database', check: () => pingDatabase(deps.dataSource) },
    {
      name: 'conductor',
      check: async () => {
        await deps.directory.refresh();
        const hosts = deps.directory.alive().map((conductor) => conductor.hostname);
        if (hosts.length === 0) throw new Error('no conductor is alive');
        await Promise.any(
          hosts.map((host) =>
            deps.rpc.call(host, pingMethod, {}, { timeoutMs: READINESS_PING_TIMEOUT_MS }),
          ),
        ).catch(() => {
          throw new Error(`no conductor answered a ping (tried ${hosts.join(', ')})`);
        });
      },
    },
  ];
}

/** Starts the HTTP API on `[api] host_ip`:`[api] port`. */
export async function startApi(deps: ApiServiceDependencies): Promise<RunningApi> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'galvanic_api_' });
  const nodes = new NodeStore(deps.dataSource, { withReservations: true });
  const app = createApp({
    logger: deps.logger,
    conductors: new ConductorStore(deps.dataSource, deps.config.conductor.heartbeat_timeout),
    nodes,
    ports: new PortStore(deps.dataSource),
    portgroups: new PortgroupStore(deps.dataSource),
    volumeConnectors: new VolumeConnectorStore(deps.dataSource),
    volumeTargets: new VolumeTargetStore(deps.dataSource),
    chassis: new ChassisStore(deps.dataSource),
    biosSettings: new BiosSettingStore(deps.dataSource),
    allocations: new AllocationStore(deps.dataSource),
    deployTemplates: new DeployTemplateStore(deps.dataSource),
    inspectionRules: new InspectionRuleStore(deps.dataSource),
    reservations: (ids) => nodes.reservations(ids),
    directory: deps.directory,
    rpc: deps.rpc,
    readiness: readinessChecks(deps),
    registry,
    publicEndpoint: deps.config.api.public_endpoint,
    linkHosts: { hostIp: deps.config.api.host_ip, allowedHosts: deps.config.api.allowed_hosts },
    rateLimit: {
      perSecond: deps.config.api.rate_limit_per_client,
      burst: deps.config.api.rate_limit_burst,
    },
    maxRequestBodySize: deps.config.api.max_request_body_size,
  });
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.config.api.port, deps.config.api.host_ip, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;
  deps.logger.info('api listening', { url });
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
