import {
  InvalidParameterValue,
  ManagementInterface,
  type BootDevice,
  type BootDeviceState,
  type BootMode,
  type IndicatorComponent,
  type IndicatorState,
  type SupportedIndicators,
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

/** Where indicator states set on a node are kept, in its driver_internal_info. */
export const FAKE_INDICATORS_KEY = 'fake_indicators';

const SUPPORTED_MODES: readonly BootMode[] = ['uefi', 'bios'];

/** A writable system LED and a read-only chassis LED. */
const INDICATORS: SupportedIndicators = {
  system: { led: { readonly: false, states: ['BLINKING', 'OFF', 'ON'] } },
  chassis: { led: { readonly: true, states: ['OFF', 'ON'] } },
};

function knownIndicator(component: IndicatorComponent, indicator: string) {
  const info = INDICATORS[component]?.[indicator];
  if (!info) {
    throw new InvalidParameterValue(`No indicator ${indicator} on component ${component}.`);
  }
  return info;
}

function storedIndicators(task: TaskContext): Record<string, IndicatorState> {
  const stored = task.node.driverInternalInfo[FAKE_INDICATORS_KEY];
  return typeof stored === 'object' && stored !== null
    ? { ...(stored as Record<string, IndicatorState>) }
    : {};
}

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

  override async getSupportedIndicators(): Promise<SupportedIndicators> {
    return INDICATORS;
  }

  override async getIndicatorState(
    task: TaskContext,
    component: IndicatorComponent,
    indicator: string,
  ): Promise<IndicatorState> {
    knownIndicator(component, indicator);
    return storedIndicators(task)[`${indicator}@${component}`] ?? 'OFF';
  }

  override async setIndicatorState(
    task: TaskContext,
    component: IndicatorComponent,
    indicator: string,
    state: IndicatorState,
  ): Promise<void> {
    const info = knownIndicator(component, indicator);
    if (info.readonly) {
      throw new InvalidParameterValue(
        `Indicator ${indicator} on component ${component} is read-only.`,
      );
    }
    if (!info.states.includes(state)) {
      throw new InvalidParameterValue(
        `Invalid state ${state} for indicator ${indicator}; use one of ${info.states.join(', ')}.`,
      );
    }
    await fakeDelay(this.env, 'management', task);
    const stored = storedIndicators(task);
    stored[`${indicator}@${component}`] = state;
    task.node.driverInternalInfo[FAKE_INDICATORS_KEY] = stored;
  }
}
