import { Gauge, type Registry } from 'prom-client';
import type { ConductorDirectory } from '@galvanic/cluster';
import type { NodeStore } from '@galvanic/db';
import type { Logger } from '@galvanic/logging';
import type { RpcClient } from '@galvanic/rpc';
import { exportRpcMetrics } from '@galvanic/runtime';

export interface OperationsSources {
  rpc: RpcClient;
  directory: ConductorDirectory;
  nodes: NodeStore;
  logger: Logger;
}

/**
 * What the api exports for operators beyond its own requests: RPC calls to conductors (rates,
 * latency, and calls in flight per conductor: those queued for a conductor plus those it works
 * on) and nodes by provision state. Label values are conductor host names and provision states:
 * bounded, never node uuids.
 */
export function exportOperationsMetrics(registry: Registry, sources: OperationsSources): void {
  const { rpc, directory, nodes, logger } = sources;
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
}
