import type { DataSource } from 'typeorm';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { ConductorDirectory, ConductorMembership } from '@galvanic/cluster';
import { CONDUCTOR_CONTRACT_VERSION } from '@galvanic/conductor-api';
import type { CoreConfig } from '@galvanic/config';
import {
  AllocationStore,
  BiosSettingStore,
  ConductorStore,
  DeployTemplateStore,
  InspectionRuleStore,
  NodeStore,
  PortStore,
  pingDatabase,
} from '@galvanic/db';
import { NodeLocker } from '@galvanic/node-locks';
import type { DriverRegistry } from '@galvanic/driver-loader';
import type { Logger } from '@galvanic/logging';
import { RpcServer, type RpcServerTransport } from '@galvanic/rpc';
import {
  exportGauge,
  exportRpcMetrics,
  readServerTls,
  startStatusServer,
  type RunningStatusServer,
} from '@galvanic/runtime';
import {
  registerAllocationHandlers,
  resumeAllocations,
  takeOverOrphanedAllocations,
} from './handlers/allocations';
import { registerDriverHandlers } from './handlers/drivers';
import { registerNodeHandlers } from './handlers/nodes';
import { registerProvisionHandler } from './handlers/provision';
import { registerVendorHandlers } from './handlers/vendor';
import { NodeTaskManager } from './nodes/task-manager';
import { NodeOwnership } from './nodes/ownership';
import { repairOrphanedNodes } from './periodic/orphans';
import { PeriodicTask } from './periodic/periodic';
import { PowerStateSync } from './periodic/power-sync';
import { Allocator } from './workflows/allocations';

export interface ConductorDependencies {
  config: CoreConfig;
  drivers: DriverRegistry;
  /** Where the node-lock session connects: the same database as `dataSource`. */
  databaseUrl: string;
  logger: Logger;
  dataSource: DataSource;
  transport: RpcServerTransport;
  /** Start the /healthz, /readyz, /metrics server (off in all-in-one, where the api serves them). */
  statusServer?: boolean;
  /**
   * The RPC contract version to speak and register; this package's by default. Only tests set
   * another, to stand in for a conductor of another release.
   */
  contractVersion?: string;
}

export interface RunningConductor {
  readonly hostname: string;
  readonly rpc: RpcServer;
  readonly statusPort: number | undefined;
  /** One power-state sync pass now (the periodic one runs every sync_power_state_interval). */
  syncPowerStates(): Promise<number>;
  /** Finishes in-flight work within `[conductor] graceful_shutdown_timeout`, then deregisters. */
  stop(): Promise<void>;
}

/**
 * A conductor: it registers in the database, heartbeats, and serves RPC from its own queue.
 */
export async function startConductor(deps: ConductorDependencies): Promise<RunningConductor> {
  const { config, logger } = deps;
  const hostname = config.DEFAULT.host;
  const contractVersion = deps.contractVersion ?? CONDUCTOR_CONTRACT_VERSION;
  const store = new ConductorStore(deps.dataSource, config.conductor.heartbeat_timeout);
  const rpc = new RpcServer({
    transport: deps.transport,
    host: hostname,
    logger,
    contractVersion,
  });
  const locker = new NodeLocker({
    connectionString: deps.databaseUrl,
    host: hostname,
    logger,
    retryAttempts: config.conductor.node_locked_retry_attempts,
    retryIntervalMs: config.conductor.node_locked_retry_interval * 1000,
  });
  await locker.start();
  const heartbeatIntervalMs = config.conductor.heartbeat_interval * 1000;
  const directory = new ConductorDirectory(store, heartbeatIntervalMs, logger, contractVersion);
  const membership = new ConductorMembership(
    store,
    {
      hostname,
      conductorGroup: config.conductor.conductor_group.toLowerCase(),
      hardwareTypes: [...deps.drivers.hardwareTypes.keys()],
      interfaces: deps.drivers.registration(),
      contractVersion,
    },
    heartbeatIntervalMs,
    config.conductor.heartbeat_timeout * 1000,
    logger,
  );
  const nodeStore = new NodeStore(deps.dataSource);
  const tasks = new NodeTaskManager(
    nodeStore,
    deps.drivers,
    locker,
    logger,
    { ownership: new NodeOwnership(hostname, membership, directory, heartbeatIntervalMs, logger) },
    new BiosSettingStore(deps.dataSource),
  );
  registerDriverHandlers(rpc, deps.drivers);
  const allocations = new AllocationStore(deps.dataSource);
  registerNodeHandlers(rpc, tasks, nodeStore, config, allocations);
  registerProvisionHandler(
    rpc,
    tasks,
    deps.drivers,
    config,
    new PortStore(deps.dataSource),
    allocations,
    new DeployTemplateStore(deps.dataSource),
    new InspectionRuleStore(deps.dataSource),
  );
  registerVendorHandlers(rpc, tasks, deps.drivers);
  const allocator = new Allocator({
    allocations,
    nodes: nodeStore,
    locker,
    host: hostname,
    logger,
    attempts: config.conductor.node_locked_retry_attempts,
    intervalMs: config.conductor.node_locked_retry_interval * 1000,
    signal: tasks.stopSignal,
  });
  registerAllocationHandlers(rpc, tasks, allocations, allocator);

  const powerSync = new PowerStateSync(
    nodeStore,
    directory,
    tasks,
    deps.drivers,
    config.conductor,
    hostname,
    logger,
  );
  const periodicTasks = [
    new PeriodicTask(
      'repair orphaned nodes',
      config.conductor.sync_local_state_interval,
      async () => void (await repairOrphanedNodes(nodeStore, tasks, hostname, logger)),
      logger,
    ),
    new PeriodicTask(
      'take over orphaned allocations',
      config.conductor.check_allocations_interval,
      () =>
        takeOverOrphanedAllocations(
          hostname,
          directory.alive().map((conductor) => conductor.hostname),
          tasks,
          allocations,
          allocator,
          logger,
        ),
      logger,
    ),
    new PeriodicTask(
      'power state sync',
      config.conductor.sync_power_state_interval,
      async () => void (await powerSync.runOnce()),
      logger,
    ),
  ];
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'galvanic_conductor_' });
  exportRpcMetrics(registry, 'server', rpc);
  exportGauge(
    registry,
    'galvanic_rpc_server_in_flight',
    'RPC calls being worked on now.',
    () => rpc.inFlight,
  );
  exportGauge(
    registry,
    'galvanic_rpc_server_expired_dropped',
    'RPC requests dropped unexecuted because their caller had given up.',
    () => rpc.metrics.expiredDropped,
  );
  exportGauge(
    registry,
    'galvanic_rpc_server_malformed_rejected',
    'RPC requests rejected as malformed.',
    () => rpc.metrics.malformedRejected,
  );
  exportGauge(
    registry,
    'galvanic_rpc_server_incompatible_contract_refused',
    'RPC requests refused unexecuted because they use a contract major this conductor does not speak.',
    () => rpc.metrics.incompatibleContractRefused,
  );
  exportGauge(
    registry,
    'galvanic_rpc_server_unauthenticated_dropped',
    'RPC messages dropped unexecuted because their MAC was missing or wrong.',
    () => rpc.metrics.unauthenticatedDropped,
  );
  exportGauge(
    registry,
    'galvanic_conductor_node_locks_held',
    'Node locks this conductor holds now.',
    () => locker.held,
  );
  exportGauge(
    registry,
    'galvanic_conductor_background_tasks',
    'Async node actions running now.',
    () => tasks.inFlight,
  );

  // The queue is exclusive to one connection: taking it first means a second live process with
  // this hostname fails here, before it could touch the first one's registration.
  await rpc.start();
  await membership.join();
  await directory.start();
  for (const task of periodicTasks) task.start();
  void periodicTasks[0]!.runOnce();
  await resumeAllocations(hostname, tasks, allocations, allocator, logger);
  let status: RunningStatusServer | undefined;
  if (deps.statusServer ?? true) {
    status = await startStatusServer({
      host: config.conductor.status_host,
      port: config.conductor.status_port,
      registry,
      tls: config.conductor.enable_ssl_status
        ? readServerTls(config.ssl, '[conductor] enable_ssl_status')
        : undefined,
      ready: async () => {
        await pingDatabase(deps.dataSource);
        if (!rpc.connected) throw new Error('not connected to the message bus');
      },
    });
  }
  logger.info('conductor started', { status_port: status?.port });

  return {
    hostname,
    rpc,
    statusPort: status?.port,
    syncPowerStates: () => powerSync.runOnce(),
    async stop() {
      const timeoutMs = config.conductor.graceful_shutdown_timeout * 1000;
      logger.info('conductor stopping', { in_flight: rpc.inFlight, timeout_ms: timeoutMs });
      const started = Date.now();
      directory.stop();
      await Promise.all(periodicTasks.map((task) => task.stop()));
      const outcome = await rpc.drain(timeoutMs);
      // Async node actions answered before the stop still run under their locks: they get what
      // is left of the deadline, then are aborted and recorded on their nodes.
      const abandonedTasks = await tasks.drain(Math.max(0, timeoutMs - (Date.now() - started)));
      if (!outcome.completed || abandonedTasks > 0) {
        logger.warn('abandoned in-flight work at shutdown', {
          abandoned_calls: outcome.abandoned,
          abandoned_tasks: abandonedTasks,
        });
      }
      await locker.close();
      await deps.drivers.close();
      await membership.leave();
      await rpc.close();
      await status?.close();
    },
  };
}
