import type { PowerInterface, PowerState } from '@galvanic/driver-sdk';
import { InvalidParameterValue, MissingParameterValue } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import { isPowerTarget, POWER_ERROR, POWER_OFF, TRANSIENT_STATES } from '@galvanic/node-states';
import type { NodeTask } from '../nodes/task';
import { cacheBootMode } from './management';
import { runPowerAction } from './power';

export interface PowerSyncOptions {
  /** `[conductor] power_state_sync_max_retries`. */
  maxRetries: number;
  /** `[conductor] force_power_state_during_sync`. */
  force: boolean;
  /** `[conductor] power_state_change_timeout`: for putting a node back into its recorded state. */
  powerChangeTimeoutSeconds: number;
  logger: Logger;
}

/**
 * Ironic's `do_sync_power_state` for one node, under its exclusive lock. `failedBefore` is how
 * many syncs in a row before this one failed to bring the record and the hardware together; the
 * result is that count after this one (0 once they agree).
 *
 * - A node with no recorded power state whose power interface does not validate is left alone.
 * - A power state that cannot be read is a failed attempt.
 * - A node with no recorded power state gets the one read.
 * - A state that differs from the recorded one is recorded; with `force`, the node is put back
 *   into the recorded state instead (the power action records its own outcome). Either way the
 *   attempt counts until a later sync finds the two agreeing.
 * - When the attempts exceed `maxRetries`, the state found (none when it could not be read) is
 *   recorded and the node goes into maintenance with fault `power failure`, saying why.
 */
export async function syncPowerState(
  task: NodeTask,
  failedBefore: number,
  options: PowerSyncOptions,
): Promise<number> {
  const node = task.node;
  if (node.maintenance || node.target_power_state || TRANSIENT_STATES.has(task.provisionState)) {
    // Changed between the pass reading its candidates and this task taking the lock.
    return 0;
  }
  const attempt = failedBefore + 1;
  const recorded = node.power_state as PowerState | null;
  const power = task.interfaceOf<PowerInterface>('power');
  if (recorded === null) {
    try {
      await power.validate(task.context);
    } catch (error) {
      if (error instanceof InvalidParameterValue || error instanceof MissingParameterValue)
        return 0;
      throw error;
    }
  }

  let actual: PowerState;
  try {
    const reported = await power.getPowerState(task.context);
    // An interface that cannot tell leaves a node without a recorded state alone.
    if (reported === null && recorded === null) return 0;
    if (reported === null) throw new Error('The power interface reported no power state.');
    if (reported === POWER_ERROR) {
      throw new Error('The power interface reported the power state as error.');
    }
    actual = reported;
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (attempt > options.maxRetries) {
      await giveUp(task, { recorded, actual: null, attempt, failure }, options);
    } else {
      options.logger.warn('power state sync could not read the power state', {
        node: node.uuid,
        attempt,
        max_retries: options.maxRetries,
        reason: failure.message,
      });
    }
    return attempt;
  }

  if (recorded === actual) return 0;
  if (recorded === null) {
    options.logger.info('power state sync records the power state of a node that had none', {
      node: node.uuid,
      found: actual,
    });
    await task.save({ power_state: actual });
    // As Ironic does on a node's first sync: the boot mode is read once and recorded.
    await cacheBootMode(task, options.logger);
    return 0;
  }
  if (attempt > options.maxRetries) {
    await giveUp(task, { recorded, actual, attempt }, options);
    return attempt;
  }
  // A node with disable_power_off is never put back into `power off` (Ironic's 1.95).
  if (
    options.force &&
    isPowerTarget(recorded) &&
    !(node.disable_power_off && recorded === POWER_OFF)
  ) {
    options.logger.warn('power state sync puts the node back into its recorded state', {
      node: node.uuid,
      found: actual,
      recorded,
      attempt,
    });
    try {
      await task.save({ target_power_state: recorded });
      await runPowerAction(task, recorded, options.powerChangeTimeoutSeconds);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await task.save({ target_power_state: null, last_error: reason });
      options.logger.error('power state sync could not put the node back into its recorded state', {
        node: node.uuid,
        recorded,
        attempt,
        max_retries: options.maxRetries,
        reason,
      });
    }
    return attempt;
  }
  options.logger.warn('power state sync records the state found', {
    node: node.uuid,
    found: actual,
    recorded,
  });
  await task.save({ power_state: actual });
  return attempt;
}

/**
 * Ironic's `handle_sync_power_state_max_retries_exceeded`: the state found is recorded (none
 * when it could not be read) and the node goes into maintenance, the reason saying what was
 * expected, what was found and what was done.
 */
async function giveUp(
  task: NodeTask,
  outcome: {
    recorded: PowerState | null;
    actual: PowerState | null;
    attempt: number;
    failure?: Error;
  },
  options: PowerSyncOptions,
): Promise<void> {
  const { recorded, actual, attempt, failure } = outcome;
  const found = failure
    ? `its power state could not be read (${failure.message})`
    : `its power state is '${actual}'`;
  const reason =
    `Power state sync failed ${attempt} times in a row for node ${task.node.uuid}, more than ` +
    `[conductor] power_state_sync_max_retries (${options.maxRetries}): the recorded power ` +
    `state is '${recorded ?? 'None'}' but ${found}. The recorded power state was set to ` +
    `'${actual ?? 'None'}' and the node was put into maintenance mode.`;
  await task.save({
    power_state: actual,
    maintenance: true,
    maintenance_reason: reason,
    fault: 'power failure',
    last_error: reason,
  });
  options.logger.error('power state sync put the node into maintenance', {
    node: task.node.uuid,
    reason,
  });
}
