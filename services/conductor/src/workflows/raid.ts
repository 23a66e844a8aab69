import type { RaidInterface } from '@galvanic/driver-sdk';
import type { NodeTask } from '../nodes/task';

/**
 * `set_target_raid_config`: the node's raid interface checks the configuration (an empty one
 * clears the target without asking it), then it is saved as the node's `target_raid_config`.
 */
export async function setTargetRaidConfig(
  task: NodeTask,
  config: Record<string, unknown>,
): Promise<void> {
  if (Object.keys(config).length > 0) {
    task.interfaceOf<RaidInterface>('raid').validateRaidConfig(task.context, config);
  }
  await task.save({ target_raid_config: config });
}
