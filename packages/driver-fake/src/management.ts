import {
  InvalidParameterValue,
  ManagementInterface,
  type BootDevice,
  type BootDeviceState,
  type BootMode,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

/** Where the boot device set on a node is kept, in its driver_internal_info. */
export const FAKE_BOOT_DEVICE_KEY = 'fake_boot_device';
/** Where the boot mode set on a node is kept, in its driver_internal_info. */
export const FAKE_BOOT_MODE_KEY = 'fake_boot_mode';
/** How many NMIs the node was sent, in its driver_internal_info (for tests). */
export const FAKE_NMI_COUNT_KEY = 'fake_nmi_count';

const SUPPORTED_MODES: readonly BootMode[] = ['uefi', 'bios'];

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

  override getSupportedBootModes(): BootMode[] {
    return [...SUPPORTED_MODES];
  }

  /** The mode last set, else null (unknown), as a BMC that does not say. */
  override async getBootMode(task: TaskContext): Promise<BootMode | null> {
    await fakeDelay(this.env, 'management', task);
    const mode = task.node.driverInternalInfo[FAKE_BOOT_MODE_KEY];
    return SUPPORTED_MODES.find((known) => known === mode) ?? null;
  }

  override async setBootMode(task: TaskContext, mode: BootMode): Promise<void> {
    if (!SUPPORTED_MODES.includes(mode)) {
      throw new InvalidParameterValue(`Invalid boot mode ${String(mode)} specified.`);
    }
    await fakeDelay(this.env, 'management', task);
    task.node.driverInternalInfo[FAKE_BOOT_MODE_KEY] = mode;
  }

  override async injectNmi(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'management', task);
    const count = task.node.driverInternalInfo[FAKE_NMI_COUNT_KEY];
    task.node.driverInternalInfo[FAKE_NMI_COUNT_KEY] = (typeof count === 'number' ? count : 0) + 1;
  }
}
