import { describe, expect, it } from 'vitest';
import {
  BootInterface,
  ManagementInterface,
  MissingParameterValue,
  PowerInterface,
  stepsOf,
  type BootDevice,
  type BootDeviceState,
  type PowerState,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import { RamdiskDeploy } from '../src';

/** Small interfaces that write down what was asked of them, in order. */
function recorders(calls: string[]) {
  class RecordingBoot extends BootInterface {
    validate(): void {
      calls.push('boot.validate');
    }
    override async prepareRamdisk(): Promise<void> {
      calls.push('boot.prepareRamdisk');
    }
    override async cleanUpRamdisk(): Promise<void> {
      calls.push('boot.cleanUpRamdisk');
    }
    async prepareInstance(): Promise<void> {
      calls.push('boot.prepareInstance');
    }
    async cleanUpInstance(): Promise<void> {
      calls.push('boot.cleanUpInstance');
    }
  }
  class RecordingManagement extends ManagementInterface {
    validate(): void {}
    getSupportedBootDevices(): BootDevice[] {
      return ['pxe'];
    }
    async setBootDevice(_task: TaskContext, device: BootDevice, persistent: boolean) {
      calls.push(`management.setBootDevice ${device} ${persistent}`);
    }
    async getBootDevice(): Promise<BootDeviceState> {
      return { boot_device: 'pxe', persistent: true };
    }
  }
  class RecordingPower extends PowerInterface {
    validate(): void {}
    async getPowerState(): Promise<PowerState> {
      return 'power on';
    }
    async setPowerState(_task: TaskContext, state: PowerState) {
      calls.push(`power.setPowerState ${state}`);
    }
    async reboot() {
      calls.push('power.reboot');
    }
  }
  return {
    boot: buildInterface(RecordingBoot),
    management: buildInterface(RecordingManagement),
    power: buildInterface(RecordingPower),
  };
}

const instanceInfo = { kernel: '/images/vmlinuz', ramdisk: '/images/initrd' };

describe('RamdiskDeploy', () => {
  const deploy = buildInterface(RamdiskDeploy);

  it('declares deploy as the main deploy step', () => {
    expect(stepsOf(deploy, 'deploy')).toEqual([
      expect.objectContaining({ name: 'deploy', priority: 100 }),
    ]);
  });

  it('deploys by preparing the instance boot, then rebooting; the boot device is left to the boot interface', async () => {
    const calls: string[] = [];
    const task = makeTask({ node: { instanceInfo }, interfaces: recorders(calls) });
    await deploy.deploy(task, {});
    // A virtual-media boot interface sets cdrom in prepareInstance; PXE must not replace it.
    expect(calls).toEqual(['boot.prepareInstance', 'power.reboot']);
  });

  it('tears down by powering off, then removing the instance boot', async () => {
    const calls: string[] = [];
    await deploy.tearDown(makeTask({ interfaces: recorders(calls) }));
    expect(calls).toEqual(['power.setPowerState power off', 'boot.cleanUpInstance']);
  });

  it('validates the boot interface, then the instance kernel and ramdisk', async () => {
    const calls: string[] = [];
    const interfaces = recorders(calls);
    await expect(
      deploy.validate(makeTask({ node: { instanceInfo }, interfaces })),
    ).resolves.toBeUndefined();
    expect(calls).toEqual(['boot.validate']);
    const bare = makeTask({ node: { instanceInfo: { kernel: 'k' } }, interfaces });
    await expect(deploy.validate(bare)).rejects.toThrow(MissingParameterValue);
    await expect(deploy.validate(bare)).rejects.toThrow("Missing are: ['ramdisk']");
  });

  it('takes over an active node by writing its instance boot again', async () => {
    const calls: string[] = [];
    const task = makeTask({
      node: { instanceInfo, provisionState: 'active' },
      interfaces: recorders(calls),
    });
    await deploy.takeOver(task);
    await deploy.prepare(task);
    expect(calls).toEqual(['boot.prepareInstance', 'boot.prepareInstance']);
  });
});
