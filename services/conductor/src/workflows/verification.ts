import type { PowerInterface } from '@galvanic/driver-sdk';
import type { NodeTask } from '../nodes/task';

/** `verifying` (manage from enroll): the power interface must validate and read the power state. */
export async function verifyNode(task: NodeTask): Promise<void> {
  const power = task.interfaceOf<PowerInterface>('power');
  await power.validate(task.context);
  await task.save({ power_state: await power.getPowerState(task.context) });
  await task.processEvent('done');
}
