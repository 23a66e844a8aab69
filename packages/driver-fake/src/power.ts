import {
  InvalidParameterValue,
  POWER_OFF,
  POWER_ON,
  PowerInterface,
  REBOOT,
  SOFT_POWER_OFF,
  SOFT_REBOOT,
  type PowerState,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

const SUPPORTED_STATES: readonly PowerState[] = [
  POWER_ON,
  POWER_OFF,
  REBOOT,
  SOFT_POWER_OFF,
  SOFT_REBOOT,
];

/**
 * Reports the power state the conductor last recorded (none until a first change, as Ironic's
 * fake power); every change succeeds.
 */
export class FakePower extends PowerInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  async getPowerState(task: TaskContext): Promise<PowerState | null> {
    return task.node.powerState;
  }

  async setPowerState(task: TaskContext, state: PowerState): Promise<void> {
    if (!SUPPORTED_STATES.includes(state)) {
      throw new InvalidParameterValue(
        `set_power_state called with an invalid power state: ${state}.`,
      );
    }
    await fakeDelay(this.env, 'power', task);
  }

  async reboot(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'power', task);
  }

  override getSupportedPowerStates(): PowerState[] {
    return [...SUPPORTED_STATES];
  }
}
