import {
  InvalidParameterValue,
  ManagementInterface,
  type BootDevice,
  type BootDeviceState,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { BOOT_MODES, BOOT_TARGETS, bootDeviceOf, bootModeOf, type BootMode } from './boot-devices';
import { redfishCall } from './call';
import { closeRedfishClients, connect, driverInfoOf } from './connect';
import { redfishOptions } from './options';
import { REDFISH_PROPERTIES } from './properties';

/**
 * Ironic's `redfish` management interface: the boot source override (device, persistence, boot
 * mode) and NMI: `PUT .../management/boot_device`, `PUT .../states/boot_mode` and
 * `PUT .../management/inject_nmi` reach them.
 */
export class RedfishManagement extends ManagementInterface {
  static override readonly optionGroups = [redfishOptions];

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
}
