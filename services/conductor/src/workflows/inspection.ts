import type { InspectInterface } from '@galvanic/driver-sdk';
import type { NodeTask } from '../nodes/task';

/** `inspecting`: the inspect interface inspects the hardware; the times are recorded around it. */
export async function inspectHardware(task: NodeTask): Promise<void> {
  await task.save({ inspection_started_at: new Date(), inspection_finished_at: null });
  await task.interfaceOf<InspectInterface>('inspect').inspectHardware(task.context);
  await task.save({ inspection_finished_at: new Date() });
  await task.processEvent('done');
}
