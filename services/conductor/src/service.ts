import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { ConductorDirectory, ConductorMembership } from '@galvanic/cluster';
import { CONDUCTOR_CONTRACT_VERSION } from '@galvanic/conductor-api';
import type { CoreConfig } from '@galvanic/config';
import {
  AllocationStore,
  BiosSettingStore,
  ConductorStore,
  DeployTemplateStore,
  FirmwareComponentStore,
  InspectionRuleStore,
  NodeHistoryStore,
  NodeInventoryStore,
  NodeStore,
  PortStore,
  VifStore,
  pingDatabase,
} from '@galvanic/db';
import { NodeLocker } from '@galvanic/node-locks';
import type { DriverRegistry } from '@galvanic/driver-loader';
import type { Logger } from '@galvanic/logging';
import { RpcServer, type RpcServerTransport } from '@galvanic/rpc';
import { readServerTls, startStatusServer, type RunningStatusServer } from '@galvanic/runtime';
import { registerAgentHandlers } from './handlers/agent';
import {
  registerAllocationHandlers,
  resumeAllocations,
  takeOverOrphanedAllocations,
} from './handlers/allocations';
import { registerDriverHandlers } from './handlers/drivers';
import { startHttpRootServer, type RunningHttpRootServer } from './http-root-server';
import { conductorMetrics } from './metrics';
import { registerNodeHandlers } from './handlers/nodes';
import { registerProvisionHandler } from './handlers/provision';
import { registerVendorHandlers } from './handlers/vendor';
import { NodeTaskManager } from './nodes/task-manager';
import { NodeHistoryRecorder } from './nodes/history';
import { NodeOwnership } from './nodes/ownership';
import { failNodesPastCallbackTimeout } from './periodic/callback-timeouts';
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
  /** Serve `[deploy] http_root` (all-in-one does; a split conductor when `serve_http_root`). */
  httpRootServer?: boolean;
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
  /** Port of the boot HTTP server serving http_root, when this conductor serves it. */
  readonly httpRootPort: number | undefined;
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
    new NodeHistoryRecorder(new NodeHistoryStore(deps.dataSource), hostname, logger),
    new FirmwareComponentStore(deps.dataSource),
  );
  registerDriverHandlers(rpc, deps.drivers);
  const inspectionRules = new InspectionRuleStore(deps.dataSource);
  const portStore = new PortStore(deps.dataSource);
  const allocations = new AllocationStore(deps.dataSource);
  registerNodeHandlers(rpc, tasks, nodeStore, config, allocations, new VifStore(deps.dataSource));
  registerProvisionHandler(
    rpc,
    tasks,
    deps.drivers,
    config,
    portStore,
    allocations,
    new DeployTemplateStore(deps.dataSource),
    inspectionRules,
  );
  registerAgentHandlers(
    rpc,
    tasks,
    new NodeInventoryStore(deps.dataSource),
    portStore,
    inspectionRules,
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
      'agent callback timeouts',
      config.conductor.check_provision_state_interval,
      async () =>
        void (await failNodesPastCallbackTimeout(nodeStore, tasks, config.conductor, logger)),
      logger,
    ),
    new PeriodicTask(
      'power state sync',
      config.conductor.sync_power_state_interval,
      async () => void (await powerSync.runOnce()),
      logger,
    ),
  ];
  const registry = conductorMetrics({ host: hostname, logger, rpc, locker, tasks, powerSync });

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
  let httpRoot: RunningHttpRootServer | undefined;
  if (deps.httpRootServer ?? config.deploy.serve_http_root) {
    await mkdir(config.deploy.http_root, { recursive: true });
    httpRoot = await startHttpRootServer({
      root: config.deploy.http_root,
      host: config.deploy.http_server_host,
      port: config.deploy.http_server_port,
      logger,
    });
  }
  logger.info('conductor started', { status_port: status?.port, http_port: httpRoot?.port });

  return {
    hostname,
    rpc,
    statusPort: status?.port,
    httpRootPort: httpRoot?.port,
    syncPowerStates: () => powerSync.runOnce(),
    async stop() {
      const timeoutMs = config.conductor.graceful_shutdown_timeout * 1000;
      logger.info('conductor stopping', { in_flight: rpc.inFlight, timeout_ms: timeoutMs });
      const started = Date.now();
      const remainingMs = () => Math.max(0, timeoutMs - (Date.now() - started));
      directory.stop();
      // Leave the ring first: the others take this conductor's nodes at once, and calls routed
      // here by a stale view are refused as not run (ConductorLeaving / NodeOwnerChanged), which
      // the api resends to the new owner. The queue stays until callers have stopped coming, so
      // nothing is published to a queue about to vanish.
      await membership.leave().catch((error: unknown) =>
        logger.warn('could not mark this conductor offline; it drops out at heartbeat timeout', {
          error,
        }),
      );
      // Every api reads membership again within its refresh interval: after that none routes
      // here, so no call can be left in the queue when it goes.
      const routedHereUntil = Date.now() + config.api.conductor_refresh_interval * 1000 + 500;
      await Promise.all(periodicTasks.map((task) => task.stop()));
      await untilQuiet(rpc, remainingMs, routedHereUntil);
      const outcome = await rpc.drain(remainingMs());
      // Async node actions answered before the stop still run under their locks: they get what
      // is left of the deadline, then are aborted and recorded on their nodes.
      const abandonedTasks = await tasks.drain(remainingMs());
      if (!outcome.completed || abandonedTasks > 0) {
        logger.warn('abandoned in-flight work at shutdown', {
          abandoned_calls: outcome.abandoned,
          abandoned_tasks: abandonedTasks,
        });
      }
      await locker.close();
      await deps.drivers.close();
      await rpc.close();
      await status?.close();
      await httpRoot?.close();
    },
  };
}

/** How long no call must have arrived before a leaving conductor deletes its queue. */
const LEAVING_QUIET_MS = 1000;
const QUIET_POLL_MS = 50;

/**
 * Waits, within the time left, until the running calls are done, every api has read the
 * membership without this conductor (`routedHereUntil`, epoch ms) and no call has arrived for
 * LEAVING_QUIET_MS.
 */
async function untilQuiet(
  rpc: RpcServer,
  remainingMs: () => number,
  routedHereUntil: number,
): Promise<void> {
  while (
    remainingMs() > 0 &&
    (rpc.inFlight > 0 || rpc.quietForMs < LEAVING_QUIET_MS || Date.now() < routedHereUntil)
  ) {
    await sleep(Math.min(QUIET_POLL_MS, remainingMs()));
  }
}
