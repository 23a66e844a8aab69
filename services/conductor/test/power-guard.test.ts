import { describe, expect, it } from 'vitest';
import {
  POWER_OFF,
  POWER_ON,
  PowerInterface,
  SOFT_POWER_OFF,
  type PowerState,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import { withoutPowerOff } from '../src/nodes/power-guard';

/** A power interface that records what it was asked (unit test double). */
class RecordingPower extends PowerInterface {
  static calls: string[] = [];
  validate(): void {}
  async getPowerState(): Promise<PowerState | null> {
    return POWER_ON;
  }
  async setPowerState(_task: TaskContext, state: PowerState): Promise<void> {
    RecordingPower.calls.push(state);
  }
  async reboot(): Promise<void> {
    RecordingPower.calls.push('reboot');
  }
}

describe('the power interface of a node with disable_power_off (API 1.95)', () => {
  it('never powers off; the power-on after a skipped power-off is a reboot', async () => {
    RecordingPower.calls = [];
    const power = withoutPowerOff(buildInterface(RecordingPower));
    const task = makeTask();
    expect(power).toBeInstanceOf(PowerInterface);
    await power.setPowerState(task, POWER_ON);
    await power.setPowerState(task, POWER_OFF);
    await power.setPowerState(task, SOFT_POWER_OFF);
    await power.setPowerState(task, POWER_ON);
    await power.setPowerState(task, POWER_ON);
    await power.reboot(task);
    expect(RecordingPower.calls).toEqual(['power on', 'reboot', 'power on', 'reboot']);
    await expect(power.getPowerState(task)).resolves.toBe(POWER_ON);
  });
});
