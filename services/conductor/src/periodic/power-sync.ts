import type { ConductorDirectory } from '@galvanic/cluster';
import type { CoreConfig } from '@galvanic/config';
import type { NodeStore, PowerSyncCandidate } from '@galvanic/db';
import type { DriverRegistry } from '@galvanic/driver-loader';
import { NodeLocked } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import { TRANSIENT_STATES } from '@galvanic/node-states';
import type { NodeTaskManager } from '../nodes/task-manager';
import { syncPowerState } from '../workflows/power-sync';

/**
 * Ironic's power-state sync pass: each conductor syncs (see `syncPowerState`) exactly its share of
 * the nodes (the hash ring), skipping nodes in maintenance, in transient states or locked by
 * anyone — without waiting for them. It keeps, per node, how many syncs in a row failed.
 */
/** What power-state sync passes did, for metrics. */
export interface PowerSyncStats {
  /** Nodes whose power state was read (or tried), over all passes. */
  nodesChecked: number;
  /** Nodes of this conductor's share skipped because they were locked. */
  nodesSkippedLocked: number;
  /** Nodes whose sync failed: the state could not be read, or the attempt errored. */
  failures: number;
  /** This conductor's share of the nodes at its last pass. */
  lastShare: number;
}

export class PowerStateSync {
  private readonly failures = new Map<number, number>();
  readonly stats: PowerSyncStats = {
    nodesChecked: 0,
    nodesSkippedLocked: 0,
    failures: 0,
    lastShare: 0,
  };
  /** Called with each pass's duration in seconds. */
  onPass: ((durationSeconds: number) => void) | undefined;

  constructor(
    private readonly store: NodeStore,
    private readonly directory: ConductorDirectory,
    private readonly tasks: NodeTaskManager,
    private readonly drivers: DriverRegistry,
    private readonly config: CoreConfig['conductor'],
    private readonly hostname: string,
    private readonly logger: Logger,
  ) {}

  /** One pass over this conductor's nodes; returns how many it read. */
  async runOnce(): Promise<number> {
    const started = performance.now();
    await this.directory.refresh();
    const candidates = await this.store.powerSyncCandidates(
      [...this.drivers.hardwareTypes.keys()],
      [...TRANSIENT_STATES],
    );
    const owned = candidates.filter((node) => {
      try {
        return (
          this.directory.hostForNode(node.uuid, node.driver, node.conductor_group) === this.hostname
        );
      } catch {
        return false;
      }
    });
    // Locked nodes are busy with a task that knows their power state better: skipped, not waited on.
    const mine = owned.filter((node) => !node.locked);
    let next = 0;
    const worker = async () => {
      while (next < mine.length) await this.syncOne(mine[next++]!);
    };
    await Promise.all(Array.from({ length: this.config.sync_power_state_workers }, worker));
    const durationMs = performance.now() - started;
    this.stats.nodesChecked += mine.length;
    this.stats.nodesSkippedLocked += owned.length - mine.length;
    this.stats.lastShare = owned.length;
    this.onPass?.(durationMs / 1000);
    this.logger.info('power state sync pass', {
      nodes: mine.length,
      skipped_locked: owned.length - mine.length,
      duration_ms: Math.round(durationMs),
    });
    // Which nodes this pass covered (its share of the ring), for an operator checking coverage.
    this.logger.debug('power state sync share', { share: owned.map((node) => node.uuid) });
    return mine.length;
  }

  private async syncOne(candidate: PowerSyncCandidate): Promise<void> {
    try {
      const failed = await this.tasks.withExclusive(
        { node_id: candidate.id, node_uuid: candidate.uuid },
        { requestId: 'power-sync' },
        (task) =>
          syncPowerState(task, this.failures.get(candidate.id) ?? 0, {
            maxRetries: this.config.power_state_sync_max_retries,
            force: this.config.force_power_state_during_sync,
            powerChangeTimeoutSeconds: this.config.power_state_change_timeout,
            logger: this.logger,
          }),
        1,
      );
      if (failed === 0 || failed > this.config.power_state_sync_max_retries) {
        // In agreement, or given up on (the node is in maintenance): counting starts again.
        this.failures.delete(candidate.id);
      } else {
        this.failures.set(candidate.id, failed);
      }
      if (failed > 0) this.stats.failures += 1;
    } catch (error) {
      if (error instanceof NodeLocked) return;
      this.stats.failures += 1;
      this.logger.warn('power state sync failed for a node', {
        node: candidate.uuid,
        reason: (error as Error).message,
      });
    }
  }
}
