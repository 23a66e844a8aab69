import { setTimeout as sleep } from 'node:timers/promises';
import type { NodeStore } from '@galvanic/db';
import { NodeLocked } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import { failureStateOnTakeover, STUCK_STATES_TREATED_AS_FAIL } from '@galvanic/node-states';
import type { NodeTaskManager } from '../nodes/task-manager';

/**
 * How long a node must stay unlocked in a transient state to count as orphaned: a conductor whose
 * lock session was cut (a database restart) takes its locks back within moments of reconnecting
 * (retries are at most 500 ms apart), and its work goes on unless someone else took a lock first.
 */
export const ORPHAN_CONFIRM_DELAY_MS = 2_000;

/**
 * Work on a node in a transient state (deploying, cleaning, a power change...) always holds the
 * node's lock. A node in such a state that nobody has locked, and still nobody a moment later,
 * lost its worker: its conductor died, or lost its database session and did not take the lock
 * back. Any conductor may repair it, the lock deciding which one: the node goes to the state's
 * failure state (or its power target is cleared) with last_error, as Ironic does when it takes
 * a node over.
 */
export async function repairOrphanedNodes(
  store: NodeStore,
  tasks: NodeTaskManager,
  host: string,
  logger: Logger,
  confirmAfterMs = ORPHAN_CONFIRM_DELAY_MS,
): Promise<number> {
  const stuck = [...STUCK_STATES_TREATED_AS_FAIL];
  const unlockedInTransientStates = () => store.unlockedInTransientStates(stuck);
  const seen = await unlockedInTransientStates();
  if (seen.length === 0) return 0;
  await sleep(confirmAfterMs);
  const stillUnlocked = new Set((await unlockedInTransientStates()).map((node) => node.id));
  const candidates = seen.filter((node) => stillUnlocked.has(node.id));
  let repaired = 0;
  for (const candidate of candidates) {
    try {
      await tasks.withExclusive(
        { node_id: candidate.id, node_uuid: candidate.uuid },
        { requestId: 'periodic-repair' },
        async (task) => {
          const node = task.node;
          const state = task.provisionState;
          if (failureStateOnTakeover(state)) {
            // The state's fail edge, with the target Ironic's machine gives it.
            await task.processEvent('fail', {
              changes: {
                clean_step: {},
                deploy_step: {},
                service_step: {},
                last_error: `${orphaned(host, state)}; the operation did not complete.`,
                ...(node.target_power_state ? { target_power_state: null } : {}),
              },
            });
          } else if (node.target_power_state) {
            await task.save({
              target_power_state: null,
              last_error: `${orphaned(host, `changing its power to ${node.target_power_state}`)}; the power change did not complete.`,
            });
          } else {
            return;
          }
          repaired += 1;
          logger.warn('repaired a node whose worker is gone', {
            node: node.uuid,
            state,
            now: task.node.provision_state,
          });
        },
        1,
      );
    } catch (error) {
      if (!(error instanceof NodeLocked)) throw error;
    }
  }
  return repaired;
}

/**
 * What is known of a node found unlocked in a transient state: whoever worked on it either
 * stopped or lost its lock with its database session (and could not take it back).
 */
function orphaned(host: string, what: string): string {
  return (
    `Conductor ${host} found the node's lock free while it was ${what}: the conductor working ` +
    `on it had stopped, or had lost its database session and the lock with it`
  );
}
