import {
  InvalidParameterValue,
  ManagementInterface,
  type BootDevice,
  type BootDeviceState,
  type IndicatorComponent,
  type IndicatorState,
  type PropertyTable,
  type SupportedIndicators,
  type TaskContext,
  type VirtualMediaDevice,
  type VirtualMediaDeviceType,
} from '@galvanic/driver-sdk';
import { BOOT_MODES, BOOT_TARGETS, bootDeviceOf, bootModeOf, type BootMode } from './boot-devices';
import { redfishCall } from './call';
import { closeRedfishClients, connect, driverInfoOf } from './connect';
import { redfishOptions } from './options';
import { REDFISH_PROPERTIES } from './properties';
import { DEVICE_TYPE_MEDIA, ejectMedia, insertMedia, listVirtualMedia } from './virtual-media';

/**
 * Ironic's `redfish` management interface: the boot source override (device, persistence, boot
 * mode) and NMI: `PUT .../management/boot_device`, `PUT .../states/boot_mode` and
 * `PUT .../management/inject_nmi` reach them.
 */
/** Ironic's name for the System's LED. */
const SYSTEM_LED = 'indicator-led';

/** Redfish IndicatorLED values and Ironic's indicator states. */
const LED_STATES: ReadonlyMap<string, IndicatorState> = new Map<string, IndicatorState>([
  ['Lit', 'ON'],
  ['Off', 'OFF'],
  ['Blinking', 'BLINKING'],
]);

function ledValue(state: IndicatorState): string | undefined {
  for (const [value, known] of LED_STATES) if (known === state) return value;
  return undefined;
}

function requireSystemLed(component: IndicatorComponent, indicator: string): void {
  if (component !== 'system' || indicator !== SYSTEM_LED) {
    throw new InvalidParameterValue(
      `Indicator ${indicator} on component ${component} is not supported; the redfish management interface has ${SYSTEM_LED}@system only.`,
    );
  }
}

export class RedfishManagement extends ManagementInterface {
  static override readonly optionGroups = [redfishOptions];

  override async getVirtualMedia(task: TaskContext): Promise<VirtualMediaDevice[]> {
    return listVirtualMedia(task, connect(this.env, task));
  }

  override async attachVirtualMedia(
    task: TaskContext,
    deviceType: VirtualMediaDeviceType,
    imageUrl: string,
  ): Promise<void> {
    await insertMedia(task, connect(this.env, task), imageUrl, DEVICE_TYPE_MEDIA[deviceType]);
  }

  override async detachVirtualMedia(
    task: TaskContext,
    deviceTypes?: readonly VirtualMediaDeviceType[],
  ): Promise<void> {
    const connection = connect(this.env, task);
    if (!deviceTypes) {
      await ejectMedia(task, connection);
      return;
    }
    for (const type of deviceTypes) await ejectMedia(task, connection, DEVICE_TYPE_MEDIA[type]);
  }

  override async close(): Promise<void> {
    await closeRedfishClients();
  }

  override getProperties(): PropertyTable {
    return REDFISH_PROPERTIES;
  }

  validate(task: TaskContext): void {
    driverInfoOf(this.env, task);
  }

  getSupportedBootDevices(): BootDevice[] {
    return [...BOOT_TARGETS.keys()];
  }

  /** Persistent is BootSourceOverrideEnabled Continuous, else Once; the boot mode is left as it is. */
  async setBootDevice(task: TaskContext, device: BootDevice, persistent: boolean): Promise<void> {
    const target = BOOT_TARGETS.get(device);
    if (!target) throw new InvalidParameterValue(`Invalid boot device ${device} specified.`);
    const connection = connect(this.env, task);
    const enabled = persistent ? 'Continuous' : 'Once';
    await redfishCall(task, connection, `setting boot device ${device}`, () =>
      connection.system.setBootOverride({ target, enabled }),
    );
    task.logger.info('boot device set', { node: task.node.uuid, device, persistent });
  }

  /** No override (Disabled, or target None) is `boot_device: null`, as Ironic reports it. */
  async getBootDevice(task: TaskContext): Promise<BootDeviceState> {
    const connection = connect(this.env, task);
    const { Boot: boot } = await redfishCall(task, connection, 'reading the boot device', () =>
      connection.system.get(),
    );
    const enabled = boot?.BootSourceOverrideEnabled;
    if (enabled === undefined || enabled === 'Disabled') {
      return { boot_device: null, persistent: null };
    }
    return {
      boot_device: bootDeviceOf(boot?.BootSourceOverrideTarget),
      persistent: enabled === 'Continuous',
    };
  }

  override getSupportedBootModes(): BootMode[] {
    return [...BOOT_MODES.keys()];
  }

  override async getBootMode(task: TaskContext): Promise<BootMode | null> {
    const connection = connect(this.env, task);
    const system = await redfishCall(task, connection, 'reading the boot mode', () =>
      connection.system.get(),
    );
    return bootModeOf(system.Boot?.BootSourceOverrideMode);
  }

  /** Sets BootSourceOverrideMode, keeping the override's target and persistence. */
  override async setBootMode(task: TaskContext, mode: BootMode): Promise<void> {
    const redfishMode = BOOT_MODES.get(mode);
    if (!redfishMode) {
      throw new InvalidParameterValue(
        `Invalid boot mode ${String(mode)} specified; use one of ${[...BOOT_MODES.keys()].join(', ')}.`,
      );
    }
    const connection = connect(this.env, task);
    await redfishCall(task, connection, `setting boot mode ${mode}`, async () => {
      const boot = (await connection.system.get()).Boot ?? {};
      return connection.system.setBootOverride({
        target: boot.BootSourceOverrideTarget ?? 'None',
        enabled: boot.BootSourceOverrideEnabled ?? 'Disabled',
        mode: redfishMode,
      });
    });
    task.logger.info('boot mode set', { node: task.node.uuid, mode });
  }

  override async injectNmi(task: TaskContext): Promise<void> {
    const connection = connect(this.env, task);
    await redfishCall(task, connection, 'ComputerSystem.Reset Nmi', () =>
      connection.system.reset('Nmi'),
    );
    task.logger.info('NMI injected', { node: task.node.uuid });
  }

  /**
   * The System's LED as `indicator-led@system`: IndicatorLED (Lit, Blinking, Off) where the
   * System has it, else LocationIndicatorActive (ON or OFF). None when it has neither.
   */
  override async getSupportedIndicators(task: TaskContext): Promise<SupportedIndicators> {
    const connection = connect(this.env, task);
    const fields = await redfishCall(task, connection, 'reading the indicators', () =>
      connection.system.get(),
    );
    if (typeof fields.IndicatorLED === 'string') {
      return { system: { [SYSTEM_LED]: { readonly: false, states: ['BLINKING', 'OFF', 'ON'] } } };
    }
    if (typeof fields.LocationIndicatorActive === 'boolean') {
      return { system: { [SYSTEM_LED]: { readonly: false, states: ['OFF', 'ON'] } } };
    }
    return {};
  }

  override async getIndicatorState(
    task: TaskContext,
    component: IndicatorComponent,
    indicator: string,
  ): Promise<IndicatorState> {
    requireSystemLed(component, indicator);
    const connection = connect(this.env, task);
    const fields = await redfishCall(task, connection, 'reading the indicator LED', () =>
      connection.system.get(),
    );
    if (typeof fields.IndicatorLED === 'string') {
      return LED_STATES.get(fields.IndicatorLED) ?? 'UNKNOWN';
    }
    if (typeof fields.LocationIndicatorActive === 'boolean') {
      return fields.LocationIndicatorActive ? 'ON' : 'OFF';
    }
    return 'UNKNOWN';
  }

  /** PATCHes IndicatorLED where the System has it, else LocationIndicatorActive. */
  override async setIndicatorState(
    task: TaskContext,
    component: IndicatorComponent,
    indicator: string,
    state: IndicatorState,
  ): Promise<void> {
    requireSystemLed(component, indicator);
    const value = ledValue(state);
    if (!value) {
      throw new InvalidParameterValue(`Invalid indicator state ${state}; use ON, OFF or BLINKING.`);
    }
    const connection = connect(this.env, task);
    await redfishCall(task, connection, `setting the indicator LED ${state}`, async () => {
      const fields = await connection.system.get();
      const changes =
        typeof fields.IndicatorLED === 'string' ||
        typeof fields.LocationIndicatorActive !== 'boolean'
          ? { IndicatorLED: value }
          : { LocationIndicatorActive: state !== 'OFF' };
      return connection.client.patch(await connection.system.path(), changes);
    });
    task.logger.info('indicator set', { node: task.node.uuid, indicator, component, state });
  }
}
