import type { BootDevice, BootDeviceState, ManagementInterface } from '@galvanic/driver-sdk';
import { InvalidParameterValue } from '@galvanic/errors';
import type { NodeTask } from '../nodes/task';

/** `set_boot_device`: a device the management interface supports for the node, else refused. */
export async function setBootDevice(
  task: NodeTask,
  device: BootDevice,
  persistent: boolean,
): Promise<void> {
  const management = task.interfaceOf<ManagementInterface>('management');
  await management.validate(task.context);
  const supported = await management.getSupportedBootDevices(task.context);
  if (!supported.includes(device)) {
    throw new InvalidParameterValue(`Invalid boot device ${device} specified.`);
  }
  await management.setBootDevice(task.context, device, persistent);
  await task.save({});
}

/** `get_boot_device`, as the management interface reads it. */
export async function getBootDevice(task: NodeTask): Promise<BootDeviceState> {
  const management = task.interfaceOf<ManagementInterface>('management');
  await management.validate(task.context);
  return management.getBootDevice(task.context);
}

/** `get_supported_boot_devices`. */
export async function supportedBootDevices(task: NodeTask): Promise<BootDevice[]> {
  const management = task.interfaceOf<ManagementInterface>('management');
  return [...(await management.getSupportedBootDevices(task.context))];
}
