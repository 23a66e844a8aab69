import { closeSharedIpmiClient } from './client';
import {
  InvalidParameterValue,
  ManagementInterface,
  type BootDevice,
  type BootDeviceState,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { fromIpmiDevice, sendBootDevice, SUPPORTED_BOOT_DEVICES } from './boot-device';
import { forcedBootDevice, lastBootDevice, recordBootDevice } from './boot-records';
import { ipmiCall } from './call';
import { connect, driverInfoOf } from './connect';
import { ipmiOptions } from './options';
import { IPMI_PROPERTIES } from './properties';

/** Boot device through Set/Get System Boot Options parameter 5. */
export class IpmiManagement extends ManagementInterface {
  /** Ends the conductor's BMC sessions when it stops (shared by all ipmi interfaces). */
  override async close(): Promise<void> {
    await closeSharedIpmiClient();
  }

  static override readonly optionGroups = [ipmiOptions];

  override getProperties(): PropertyTable {
    return IPMI_PROPERTIES;
  }

  validate(task: TaskContext): void {
    driverInfoOf(this.env, task);
  }

  getSupportedBootDevices(): BootDevice[] {
    return [...SUPPORTED_BOOT_DEVICES];
  }

  /**
   * With ipmi_force_boot_device the BMC is told a one-time device and the driver remembers the
   * persistent one, to tell the BMC again at every power on.
   */
  async setBootDevice(task: TaskContext, device: BootDevice, persistent: boolean): Promise<void> {
    if (!SUPPORTED_BOOT_DEVICES.includes(device)) {
      throw new InvalidParameterValue(`Invalid boot device ${device} specified.`);
    }
    const connection = connect(this.env, task);
    const forced = connection.info.forceBootDevice;
    await sendBootDevice(this.env, task, connection, device, persistent && !forced);
    recordBootDevice(task.node, { device, persistent }, forced);
  }

  async getBootDevice(task: TaskContext): Promise<BootDeviceState> {
    const connection = connect(this.env, task);
    const { bmc, info } = connection;
    if (info.forceBootDevice) {
      const device = forcedBootDevice(task.node);
      if (device) return { boot_device: device, persistent: true };
    }
    const answer = await ipmiCall(task, connection, 'reading the boot device', () =>
      bmc.getBootDevice(),
    );
    const device = fromIpmiDevice(answer.device);
    if (answer.valid) return { boot_device: device, persistent: answer.persistent };
    // The boot flags are not marked valid: the BMC kept the device selector only (ipmi_sim does
    // this) or the override was used up. The device this driver set carries its persistence.
    const last = lastBootDevice(task.node);
    return {
      boot_device: device,
      persistent: last !== undefined && last.device === device ? last.persistent : false,
    };
  }
}
