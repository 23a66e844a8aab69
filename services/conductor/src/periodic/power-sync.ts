import type { ConductorDirectory } from '@galvanic/cluster';
import type { CoreConfig } from '@galvanic/config';
import type { NodeStore, PowerSyncCandidate as Candidate } from '@galvanic/db';
import type { PowerInterface, PowerState } from '@galvanic/driver-sdk';
import type { DriverRegistry } from '@galvanic/driver-loader';
import { NodeLocked } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import { TRANSIENT_STATES } from '@galvanic/node-states';
import type { NodeTaskManager } from '../nodes/task-manager';

/**
 * Ironic's power-state sync: each conductor reads, through the BMC, the power state of exactly its
 * share of the nodes (the hash ring), skipping nodes in maintenance, in transient states or
 * locked by anyone — without waiting for them. A state that differs from the recorded one is
 * recorded (or, with force_power_state_during_sync, the node is put back into the recorded
 * state); a node whose BMC cannot be read power_state_sync_max_retries times in a row goes into
 * maintenance with fault "power failure".
 */
export class PowerStateSync {
  private readonly failures = new Map<number, number>();

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
    const types = [...this.drivers.hardwareTypes.keys()];
    const rows = await this.store.powerSyncCandidates(types, [...TRANSIENT_STATES]);
    const owned = rows.filter((row) => {
      try {
        return (
          this.directory.hostForNode(row.uuid, row.driver, row.conductor_group) === this.hostname
        );
      } catch {
        return false;
      }
    });
    // Locked nodes are busy with a task that knows their power state better: skipped, not waited on.
    const mine = owned.filter((row) => !row.locked);
    let next = 0;
    const worker = async () => {
      while (next < mine.length) await this.syncOne(mine[next++]!);
    };
    await Promise.all(Array.from({ length: this.config.sync_power_state_workers }, worker));
    this.logger.info('power state sync pass', {
      nodes: mine.length,
      skipped_locked: owned.length - mine.length,
      duration_ms: Math.round(performance.now() - started),
    });
    return mine.length;
  }

  private async syncOne(candidate: Candidate): Promise<void> {
    try {
      await this.tasks.withExclusive(
        { node_id: candidate.id, node_uuid: candidate.uuid },
        { requestId: 'power-sync' },
        async (task) => {
          const node = task.node;
          if (node.maintenance || node.target_power_state) return;
          const power = task.interfaceOf<PowerInterface>('power');
          let actual: PowerState;
          try {
            actual = await power.getPowerState(task.context);
          } catch (error) {
            const count = (this.failures.get(node.id) ?? 0) + 1;
            this.failures.set(node.id, count);
            this.logger.warn('power state sync could not read the power state', {
              node: node.uuid,
              attempt: count,
              reason: (error as Error).message,
            });
            if (count > this.config.power_state_sync_max_retries) {
              this.failures.delete(node.id);
              await task.save({
                maintenance: true,
                fault: 'power failure',
                maintenance_reason: `During sync_power_state, max retries exceeded for node ${node.uuid}, node state ${node.power_state} does not match expected state 'None'. Updating DB state to 'None' Switching node to maintenance mode. Error: ${(error as Error).message}`,
              });
            }
            return;
          }
          this.failures.delete(node.id);
          if (node.power_state === actual) return;
          if (node.power_state && this.config.force_power_state_during_sync) {
            this.logger.warn('power state sync puts the node back into its recorded state', {
              node: node.uuid,
              found: actual,
              recorded: node.power_state,
            });
            await power.setPowerState(task.context, node.power_state as PowerState);
            return;
          }
          if (node.power_state) {
            this.logger.warn('power state sync records the state found', {
              node: node.uuid,
              found: actual,
              recorded: node.power_state,
            });
          }
          await task.save({ power_state: actual });
        },
        1,
      );
    } catch (error) {
      if (error instanceof NodeLocked) return;
      this.logger.warn('power state sync failed for a node', {
        node: candidate.uuid,
        reason: (error as Error).message,
      });
    }
  }
}
