import type { DeployInterface } from '@galvanic/driver-sdk';
import type { NodeTask } from '../nodes/task';

/** `adopting`: the deploy interface takes over a node already running its instance. */
export async function adoptNode(task: NodeTask): Promise<void> {
  await task.interfaceOf<DeployInterface>('deploy').takeOver(task.context);
  await task.processEvent('done');
}
