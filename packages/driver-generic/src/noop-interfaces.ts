import {
  InvalidParameterValue,
  ManagementInterface,
  NetworkInterface,
  StorageInterface,
  type BootDevice,
  type BootDeviceState,
  type TaskContext,
} from '@galvanic/driver-sdk';

/** No remote volumes: the image is written to the node's local disk. */
export class NoopStorage extends StorageInterface {
  validate(): void {}
  async attachVolumes(): Promise<void> {}
  async detachVolumes(): Promise<void> {}
}

/** The node's ports stay where the operator wired them. */
export class NoopNetwork extends NetworkInterface {
  validate(): void {}
}

/**
 * For machines without a usable BMC: the operator sets the boot order once, PXE first then the
 * disk, so there is nothing to change and the current device is unknown.
 */
export class NoopManagement extends ManagementInterface {
  validate(): void {}

  getSupportedBootDevices(): BootDevice[] {
    return ['pxe', 'disk'];
  }

  async setBootDevice(task: TaskContext, device: BootDevice, persistent: boolean): Promise<void> {
    if (!this.getSupportedBootDevices().includes(device)) {
      throw new InvalidParameterValue(`Invalid boot device ${device} specified.`);
    }
    task.logger.debug('boot device left to the preconfigured boot order (noop management)', {
      device,
      persistent,
    });
  }

  async getBootDevice(): Promise<BootDeviceState> {
    return { boot_device: null, persistent: null };
  }
}
