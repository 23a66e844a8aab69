import {
  InvalidParameterValue,
  ManagementInterface,
  type BootDevice,
  type BootDeviceState,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { connect } from './connect';
import { ACME_PROPERTIES, parseDriverInfo } from './driver-info';
import { acmeOptions } from './options';

const BOOT_DEVICES: readonly BootDevice[] = ['pxe', 'disk', 'cdrom'];

export class AcmeManagement extends ManagementInterface {
  static override readonly optionGroups = [acmeOptions];

  override getProperties(): PropertyTable {
    return ACME_PROPERTIES;
  }

  validate(task: TaskContext): void {
    parseDriverInfo(task.node);
  }

  getSupportedBootDevices(): BootDevice[] {
    return [...BOOT_DEVICES];
  }

  async setBootDevice(task: TaskContext, device: BootDevice, persistent: boolean): Promise<void> {
    if (!BOOT_DEVICES.includes(device)) {
      throw new InvalidParameterValue(`Invalid boot device ${device} specified.`);
    }
    const { client, chassisId } = connect(this.env, task);
    await client.setBootDevice(chassisId, { device, persistent });
  }

  async getBootDevice(task: TaskContext): Promise<BootDeviceState> {
    const { client, chassisId } = connect(this.env, task);
    const { device, persistent } = await client.bootDevice(chassisId);
    return {
      boot_device: BOOT_DEVICES.find((known) => known === device) ?? null,
      persistent,
    };
  }
}
