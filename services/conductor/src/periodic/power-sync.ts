import type { ConductorDirectory } from '@galvanic/cluster';
import type { CoreConfig } from '@galvanic/config';
import type { NodePortRow, NodeRow, NodeStore, PowerSyncCandidate } from '@galvanic/db';
import type { PowerInterface } from '@galvanic/driver-sdk';
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
/** Nodes read from the database in one statement by a pass. */
const READ_BATCH = 500;

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
    for (let from = 0; from < mine.length; from += READ_BATCH) {
      const batch = mine.slice(from, from + READ_BATCH);
      const rows = await this.store.getManyWithPorts(batch.map((node) => node.id));
      let next = 0;
      const worker = async () => {
        while (next < batch.length) {
          const candidate = batch[next++]!;
          const found = rows.get(candidate.id);
          if (found && !(await this.agrees(found))) await this.syncOne(candidate);
        }
      };
      await Promise.all(Array.from({ length: this.config.sync_power_state_workers }, worker));
    }
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

  /**
   * As Ironic does, the power state is first read under a shared lock (which takes nothing),
   * from a row read in a batch: when it agrees with the record, the node is done. Anything else
   * (a difference, no recorded state, a failed read, a node that changed meanwhile) goes to
   * `syncOne`, which takes the exclusive lock, reads the node again and decides.
   */
  private async agrees(found: { node: NodeRow; ports: NodePortRow[] }): Promise<boolean> {
    const { node } = found;
    if (
      node.maintenance ||
      node.target_power_state ||
      (TRANSIENT_STATES as ReadonlySet<string>).has(node.provision_state)
    ) {
      return true; // changed since the candidates were read: not this pass's business
    }
    if (node.power_state === null) return false;
    try {
      const task = this.tasks.sharedTaskOf(found, 'power-sync');
      const actual = await task.interfaceOf<PowerInterface>('power').getPowerState(task.context);
      if (actual !== node.power_state) return false;
    } catch {
      return false;
    }
    this.failures.delete(node.id);
    return true;
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
