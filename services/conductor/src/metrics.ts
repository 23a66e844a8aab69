import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '@galvanic/logging';
import type { NodeLocker } from '@galvanic/node-locks';
import type { QueueStats, RpcServer } from '@galvanic/rpc';
import { exportCounter, exportGauge, exportRpcMetrics } from '@galvanic/runtime';
import type { NodeTaskManager } from './nodes/task-manager';
import type { PowerStateSync } from './periodic/power-sync';

/** What a conductor exports on `/metrics`. Labels stay bounded: no node uuids. */
export function conductorMetrics(parts: {
  host: string;
  logger: Logger;
  rpc: RpcServer;
  locker: NodeLocker;
  tasks: NodeTaskManager;
  powerSync: PowerStateSync;
}): Registry {
  const { host, logger, rpc, locker, tasks, powerSync } = parts;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'galvanic_conductor_' });
  exportRpcMetrics(registry, 'server', rpc);
  const gauges: [string, string, () => number][] = [
    ['galvanic_rpc_server_in_flight', 'RPC calls being worked on now.', () => rpc.inFlight],
    [
      'galvanic_conductor_node_locks_held',
      'Node locks this conductor holds now.',
      () => locker.held,
    ],
    [
      'galvanic_conductor_background_tasks',
      'Async node actions running now.',
      () => tasks.inFlight,
    ],
  ];
  const counters: [string, string, () => number][] = [
    [
      'galvanic_rpc_server_expired_dropped_total',
      'RPC requests dropped unexecuted because their caller had given up.',
      () => rpc.metrics.expiredDropped,
    ],
    [
      'galvanic_rpc_server_malformed_rejected_total',
      'RPC requests rejected as malformed.',
      () => rpc.metrics.malformedRejected,
    ],
    [
      'galvanic_rpc_server_incompatible_contract_refused_total',
      'RPC requests refused unexecuted because they use a contract major this conductor does not speak.',
      () => rpc.metrics.incompatibleContractRefused,
    ],
    [
      'galvanic_rpc_server_unauthenticated_dropped_total',
      'RPC messages dropped unexecuted because their MAC was missing or wrong.',
      () => rpc.metrics.unauthenticatedDropped,
    ],
    [
      'galvanic_rpc_server_refused_leaving_total',
      'RPC calls refused unexecuted while this conductor was leaving the cluster (the api resends them).',
      () => rpc.metrics.rejectedWhileDraining,
    ],
    [
      'galvanic_node_lock_acquisitions_total',
      'Node locks this conductor took.',
      () => locker.stats.acquisitions,
    ],
    [
      'galvanic_node_lock_waits_total',
      'Waits of node_locked_retry_interval for a node locked by someone else.',
      () => locker.stats.waits,
    ],
    [
      'galvanic_node_lock_conflicts_total',
      'Lock requests refused with NodeLocked (a 409 for an API request) after their retries.',
      () => locker.stats.conflicts,
    ],
  ];
  for (const [name, help, read] of gauges) exportGauge(registry, name, help, read);
  for (const [name, help, read] of counters) exportCounter(registry, name, help, read);
  exportPowerSync(registry, powerSync);
  exportQueue(registry, rpc, host, logger);
  return registry;
}

/** Queue reads older than this are read again at scrape time; fresher ones are reused. */
const QUEUE_READ_MAX_AGE_MS = 1000;

/**
 * This conductor's RPC queue as the broker counts it, read at scrape time (at most once a
 * second). Only the conductor's own connection may look at its exclusive queue, so each
 * conductor exports its own, labelled with its host for sums across replicas.
 */
function exportQueue(registry: Registry, rpc: RpcServer, host: string, logger: Logger): void {
  let last: { at: number; stats: Promise<QueueStats | undefined> } | undefined;
  const read = () => {
    if (!last || performance.now() - last.at > QUEUE_READ_MAX_AGE_MS) {
      const stats = rpc.queueStats().catch((error: unknown) => {
        logger.debug('could not read this conductor queue', { error });
        return undefined;
      });
      last = { at: performance.now(), stats };
    }
    return last.stats;
  };
  new Gauge({
    name: 'galvanic_conductor_queue_messages_ready',
    help: "Calls waiting in this conductor's RPC queue, not yet handed to it, as the broker counts them.",
    labelNames: ['conductor'],
    registers: [registry],
    async collect() {
      this.reset();
      const stats = await read();
      if (stats) this.set({ conductor: host }, stats.messagesReady);
    },
  });
  new Gauge({
    name: 'galvanic_conductor_queue_consumers',
    help: "Consumers of this conductor's RPC queue, as the broker counts them.",
    labelNames: ['conductor'],
    registers: [registry],
    async collect() {
      this.reset();
      const stats = await read();
      if (stats) this.set({ conductor: host }, stats.consumers);
    },
  });
}

function exportPowerSync(registry: Registry, powerSync: PowerStateSync): void {
  const { stats } = powerSync;
  const duration = new Histogram({
    name: 'galvanic_power_sync_duration_seconds',
    help: "Duration of this conductor's power-state sync passes.",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  powerSync.onPass = (seconds) => duration.observe(seconds);
  exportCounter(
    registry,
    'galvanic_power_sync_nodes_checked_total',
    'Nodes whose power state a sync pass read.',
    () => stats.nodesChecked,
  );
  exportCounter(
    registry,
    'galvanic_power_sync_nodes_skipped_locked_total',
    'Nodes a sync pass skipped because they were locked.',
    () => stats.nodesSkippedLocked,
  );
  exportCounter(
    registry,
    'galvanic_power_sync_failures_total',
    'Node syncs that failed: the power state could not be read, or differed from the record.',
    () => stats.failures,
  );
  exportGauge(
    registry,
    'galvanic_conductor_nodes',
    "Nodes in this conductor's share of the hash ring at its last power-sync pass.",
    () => stats.lastShare,
  );
}
