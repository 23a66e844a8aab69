import type { RescueInterface } from '@galvanic/driver-sdk';
import type { NodeTask } from '../nodes/task';

/** `rescuing`: the rescue interface boots the node into its rescue ramdisk. */
export async function rescueNode(task: NodeTask): Promise<void> {
  await task.interfaceOf<RescueInterface>('rescue').rescue(task.context);
  await task.processEvent('done');
}

/** `unrescuing`: the rescue interface brings the node back to its instance. */
export async function unrescueNode(task: NodeTask): Promise<void> {
  await task.interfaceOf<RescueInterface>('rescue').unrescue(task.context);
  await task.processEvent('done');
}
