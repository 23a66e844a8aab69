import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import type { DataSource } from 'typeorm';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { ConductorDirectory } from '@galvanic/cluster';
import type { CoreConfig } from '@galvanic/config';
import {
  AllocationStore,
  BiosSettingStore,
  NodeHistoryStore,
  FirmwareComponentStore,
  DeployTemplateStore,
  NodeInventoryStore,
  RunbookStore,
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
import { readServerTls } from '@galvanic/runtime';
import { pingMethod, type RpcClient } from '@galvanic/rpc';
import { createApp } from './app';
import { listenAt, serverUrl } from './http/server-url';
import { serveHandedConnections } from './connection-balancer';
import type { ReadinessCheck } from './controllers/health';
import { exportOperationsMetrics } from './operations-metrics';

export interface ApiServiceDependencies {
  config: CoreConfig;
  logger: Logger;
  dataSource: DataSource;
  rpc: RpcClient;
  directory: ConductorDirectory;
  /**
   * An api worker's: the URL its primary accepts connections on. The worker then serves the
   * connections the primary hands it instead of listening itself.
   */
  handedConnectionsUrl?: string;
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

/** Whether an address the api listens on is reachable only from this machine. */
export function isLoopbackAddress(address: string): boolean {
  if (address === 'localhost' || address === '::1') return true;
  return isIP(address) === 4 && address.startsWith('127.');
}

/** The warning printed at start when anyone beyond this machine may use an unauthenticated API. */
export function noauthExposureWarning(strategy: string, hostIp: string): string | undefined {
  if (strategy !== 'noauth' || isLoopbackAddress(hostIp)) return undefined;
  return (
    `auth_strategy is noauth and the API listens on ${hostIp}, beyond loopback: anyone who can ` +
    'reach it may manage every node. Set [DEFAULT] auth_strategy to http_basic or keystone.'
  );
}

/** Starts the HTTP API on `[api] host_ip`:`[api] port`. */
export async function startApi(deps: ApiServiceDependencies): Promise<RunningApi> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'galvanic_api_' });
  const nodes = new NodeStore(deps.dataSource, { withReservations: true });
  exportOperationsMetrics(registry, {
    rpc: deps.rpc,
    directory: deps.directory,
    nodes,
    logger: deps.logger,
  });
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
    history: new NodeHistoryStore(deps.dataSource),
    firmware: new FirmwareComponentStore(deps.dataSource),
    allocations: new AllocationStore(deps.dataSource),
    deployTemplates: new DeployTemplateStore(deps.dataSource),
    inventories: new NodeInventoryStore(deps.dataSource),
    runbooks: new RunbookStore(deps.dataSource),
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
    auth: {
      strategy: deps.config.DEFAULT.auth_strategy,
      userFile: deps.config.DEFAULT.http_basic_auth_user_file,
      keystone: deps.config.keystone_authtoken,
      failureLimit: deps.config.api.auth_failures_per_client,
      failureWindowSeconds: deps.config.api.auth_failure_window,
    },
    policyFile: deps.config.oslo_policy.policy_file,
    agent: {
      restrictLookup: deps.config.api.restrict_lookup,
      heartbeatTimeout: deps.config.api.ramdisk_heartbeat_timeout,
      rateLimit: { perSecond: deps.config.api.agent_rate_limit_per_client },
    },
  });
  const tls = deps.config.api.enable_ssl_api;
  const server = tls
    ? createHttpsServer(readServerTls(deps.config.ssl, '[api] enable_ssl_api'), app)
    : createServer(app);
  const exposure = noauthExposureWarning(
    deps.config.DEFAULT.auth_strategy,
    deps.config.api.host_ip,
  );
  if (exposure) deps.logger.warn(exposure);
  server.keepAliveTimeout = 65_000;
  const handed = deps.handedConnectionsUrl;
  const url =
    handed ?? serverUrl(await listenAt(server, deps.config.api.port, deps.config.api.host_ip), tls);
  const stopTakingConnections = handed ? serveHandedConnections(server) : () => {};
  deps.logger.info('api listening', { url });
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        stopTakingConnections();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
