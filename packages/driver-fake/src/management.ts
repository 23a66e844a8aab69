import {
  InvalidParameterValue,
  ManagementInterface,
  type BootDevice,
  type BootDeviceState,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

/** Where the boot device set on a node is kept, in its driver_internal_info. */
export const FAKE_BOOT_DEVICE_KEY = 'fake_boot_device';

const SUPPORTED_DEVICES: readonly BootDevice[] = ['pxe'];
const DEFAULT_STATE: BootDeviceState = { boot_device: 'pxe', persistent: false };

function storedState(value: unknown): BootDeviceState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { boot_device, persistent } = value as Record<string, unknown>;
  if (typeof boot_device !== 'string' || typeof persistent !== 'boolean') return undefined;
  return { boot_device: boot_device as BootDevice, persistent };
}

/** Supports booting from PXE only, as Ironic's fake does; remembers the device per node. */
export class FakeManagement extends ManagementInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  getSupportedBootDevices(): BootDevice[] {
    return [...SUPPORTED_DEVICES];
  }

  async setBootDevice(task: TaskContext, device: BootDevice, persistent: boolean): Promise<void> {
    if (!SUPPORTED_DEVICES.includes(device)) {
      throw new InvalidParameterValue(`Invalid boot device ${device} specified.`);
    }
    await fakeDelay(this.env, 'management', task);
    task.node.driverInternalInfo[FAKE_BOOT_DEVICE_KEY] = { boot_device: device, persistent };
  }

  async getBootDevice(task: TaskContext): Promise<BootDeviceState> {
    await fakeDelay(this.env, 'management', task);
    return storedState(task.node.driverInternalInfo[FAKE_BOOT_DEVICE_KEY]) ?? { ...DEFAULT_STATE };
  }
}
