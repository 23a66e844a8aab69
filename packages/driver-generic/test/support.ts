import {
  ManagementInterface,
  type BootDevice,
  type BootDeviceState,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { buildInterface } from '@galvanic/driver-sdk/testing';

/** A management interface that writes down the boot devices set, as `setBootDevice <device> <persistent>`. */
export function recordingManagement(calls: string[]): ManagementInterface {
  class RecordingManagement extends ManagementInterface {
    validate(): void {}
    getSupportedBootDevices(): BootDevice[] {
      return ['pxe', 'disk'];
    }
    async setBootDevice(_task: TaskContext, device: BootDevice, persistent: boolean) {
      calls.push(`setBootDevice ${device} ${persistent}`);
    }
    async getBootDevice(): Promise<BootDeviceState> {
      return { boot_device: null, persistent: null };
    }
  }
  return buildInterface(RecordingManagement);
}
