import { describe, expect, it } from 'vitest';
import {
  BootInterface,
  DeployInterface,
  PowerInterface,
  UnsupportedDriverExtension,
  interfaceClassProblem,
  type PowerState,
  type TaskContext,
} from '../src';
import { buildInterface, makeTask } from '../src/testing';

class StatePower extends PowerInterface {
  validate(): void {}
  async getPowerState(): Promise<PowerState> {
    return 'power on';
  }
  async setPowerState(): Promise<void> {}
  async reboot(): Promise<void> {}
}

describe('task.driver', () => {
  it('gives each kind typed, and refuses a kind the driver leaves out', async () => {
    const power = buildInterface(StatePower);
    const task = makeTask({ interfaces: { power } });
    expect(task.driver.power).toBe(power);
    expect(task.driver.interfaceOf('power')).toBe(power);
    await expect(task.driver.power.getPowerState(task)).resolves.toBe('power on');
    expect(() => task.driver.management).toThrow(UnsupportedDriverExtension);
    expect(() => task.driver.management).toThrow(/does not support management/);
  });
});

describe('required methods', () => {
  it('are only those the conductor calls: a boot interface needs no ramdisk calls', () => {
    class InstanceOnlyBoot extends BootInterface {
      validate(): void {}
      async prepareInstance(): Promise<void> {}
      async cleanUpInstance(): Promise<void> {}
    }
    expect(interfaceClassProblem('boot', InstanceOnlyBoot)).toBeUndefined();
  });

  it('leave out prepare and cleanUp of a deploy interface, but not tearDown', () => {
    abstract class NoTearDown extends DeployInterface {
      validate(): void {}
      async deploy(): Promise<void> {}
      async takeOver(_task: TaskContext): Promise<void> {}
    }
    // Plain JavaScript can leave out an abstract method; the loader names it.
    expect(interfaceClassProblem('deploy', NoTearDown)).toBe(
      'the class does not implement tearDown',
    );
  });
});
