import type { PowerInterface } from '@galvanic/driver-sdk';
import type { NodeTask } from '../nodes/task';
import { cacheBiosSettingsOnVerify } from './bios';
import { cacheFirmwareComponents } from './firmware';

/**
 * `verifying` (manage from enroll): the power interface must validate and read the power state;
 * the BIOS settings are cached, as Ironic's verify does, without failing the verification.
 */
export async function verifyNode(task: NodeTask): Promise<void> {
  const power = task.interfaceOf<PowerInterface>('power');
  await power.validate(task.context);
  await task.save({ power_state: await power.getPowerState(task.context) });
  await cacheBiosSettingsOnVerify(task);
  await cacheFirmwareComponents(task);
  await task.processEvent('done');
}
