import { Gauge, type Registry } from 'prom-client';
import type { ConductorDirectory } from '@galvanic/cluster';
import type { NodeStore } from '@galvanic/db';
import type { Logger } from '@galvanic/logging';
import type { ConductorQueueInspector, ConductorQueueStats, RpcClient } from '@galvanic/rpc';
import { exportRpcMetrics } from '@galvanic/runtime';

export interface OperationsSources {
  rpc: RpcClient;
  directory: ConductorDirectory;
  nodes: NodeStore;
  /** Reads conductor queues from the broker; absent in all-in-one, which has no broker. */
  queues?: ConductorQueueInspector;
  logger: Logger;
}

/** Queue reads older than this are read again at scrape time; fresher ones are reused. */
const QUEUE_READ_MAX_AGE_MS = 1000;

/**
 * What the api exports for operators beyond its own requests: RPC calls to conductors (rates,
 * latency, in flight per conductor), each live conductor's queue as the broker counts it (read
 * at scrape time, at most once a second), and nodes by provision state. Label values are
 * conductor host names and provision states: bounded, never node uuids.
 */
export function exportOperationsMetrics(registry: Registry, sources: OperationsSources): void {
  const { rpc, directory, nodes, queues, logger } = sources;
  exportRpcMetrics(registry, 'client', rpc);
  new Gauge({
    name: 'galvanic_rpc_client_in_flight',
    help: 'RPC calls this api waits on now, by conductor.',
    labelNames: ['conductor'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { hostname } of directory.alive()) this.set({ conductor: hostname }, 0);
      for (const [host, count] of rpc.inFlightByHost()) this.set({ conductor: host }, count);
    },
  });
  new Gauge({
    name: 'galvanic_nodes',
    help: 'Nodes by provision state.',
    labelNames: ['provision_state'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const [state, count] of await nodes.countByProvisionState()) {
          this.set({ provision_state: state }, count);
        }
      } catch (error) {
        logger.warn('could not count nodes for metrics', { error });
      }
    },
  });
  if (queues) exportConductorQueues(registry, directory, queues, logger);
}

function exportConductorQueues(
  registry: Registry,
  directory: ConductorDirectory,
  queues: ConductorQueueInspector,
  logger: Logger,
): void {
  let last: { at: number; stats: Promise<Map<string, ConductorQueueStats>> } | undefined;
  const read = () => {
    if (!last || performance.now() - last.at > QUEUE_READ_MAX_AGE_MS) {
      last = { at: performance.now(), stats: readQueues(directory, queues, logger) };
    }
    return last.stats;
  };
  new Gauge({
    name: 'galvanic_conductor_queue_messages_ready',
    help: "Calls waiting in a live conductor's RPC queue, as the broker counts them.",
    labelNames: ['conductor'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [host, stats] of await read()) this.set({ conductor: host }, stats.messagesReady);
    },
  });
  new Gauge({
    name: 'galvanic_conductor_queue_consumers',
    help: "Consumers of a live conductor's RPC queue (1 while it serves, 0 when it is gone).",
    labelNames: ['conductor'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [host, stats] of await read()) this.set({ conductor: host }, stats.consumers);
    },
  });
}

async function readQueues(
  directory: ConductorDirectory,
  queues: ConductorQueueInspector,
  logger: Logger,
): Promise<Map<string, ConductorQueueStats>> {
  const result = new Map<string, ConductorQueueStats>();
  await Promise.all(
    directory.alive().map(async ({ hostname }) => {
      try {
        const stats = await queues.inspectQueue(hostname);
        if (stats) result.set(hostname, stats);
      } catch (error) {
        logger.debug('could not read a conductor queue', { conductor: hostname, error });
      }
    }),
  );
  return result;
}
