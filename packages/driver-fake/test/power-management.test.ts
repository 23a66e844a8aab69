import { describe, expect, it } from 'vitest';
import { InvalidParameterValue } from '@galvanic/driver-sdk';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import { FakeManagement, FakePower } from '../src';

describe('FakePower', () => {
  const power = buildInterface(FakePower);

  it("reports the node's recorded power state, none when none was recorded (as Ironic's)", async () => {
    await expect(power.getPowerState(makeTask())).resolves.toBeNull();
    await expect(power.getPowerState(makeTask({ node: { powerState: 'power on' } }))).resolves.toBe(
      'power on',
    );
  });

  it('succeeds at every supported state and at reboot', async () => {
    const task = makeTask();
    for (const state of power.getSupportedPowerStates()) {
      await expect(power.setPowerState(task, state)).resolves.toBeUndefined();
    }
    await expect(power.reboot(task)).resolves.toBeUndefined();
    expect(power.getSupportedPowerStates()).toEqual([
      'power on',
      'power off',
      'rebooting',
      'soft power off',
      'soft rebooting',
    ]);
  });

  it('refuses a state it does not know', async () => {
    await expect(power.setPowerState(makeTask(), 'error')).rejects.toThrow(InvalidParameterValue);
  });

  it('validates any node', () => {
    expect(() => power.validate()).not.toThrow();
  });
});

describe('FakeManagement', () => {
  const management = buildInterface(FakeManagement);

  it("supports PXE only, as Ironic's sample answers", () => {
    expect(management.getSupportedBootDevices()).toEqual(['pxe']);
  });

  it('answers pxe, not persistent, for a fresh node', async () => {
    await expect(management.getBootDevice(makeTask())).resolves.toEqual({
      boot_device: 'pxe',
      persistent: false,
    });
  });

  it('remembers the device set on the node', async () => {
    const task = makeTask();
    await management.setBootDevice(task, 'pxe', true);
    expect(task.node.driverInternalInfo.fake_boot_device).toEqual({
      boot_device: 'pxe',
      persistent: true,
    });
    await expect(management.getBootDevice(task)).resolves.toEqual({
      boot_device: 'pxe',
      persistent: true,
    });
  });

  it("refuses an unsupported device in Ironic's words", async () => {
    const set = management.setBootDevice(makeTask(), 'floppy', false);
    await expect(set).rejects.toThrow(InvalidParameterValue);
    await expect(set).rejects.toThrow('Invalid boot device floppy specified.');
  });
});
