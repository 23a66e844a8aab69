import {
  InvalidParameterValue,
  POWER_OFF,
  POWER_ON,
  PowerInterface,
  REBOOT,
  SOFT_POWER_OFF,
  sleepUnlessAborted,
  type PowerOptions,
  type PowerState,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import type { AcmeClient, AcmePowerAction, AcmeReportedPower } from './client';
import { connect } from './connect';
import { ACME_PROPERTIES, parseDriverInfo } from './driver-info';
import { AcmeControllerError } from './errors';
import { acmeOptions } from './options';

const ACTIONS: Partial<Record<PowerState, [AcmePowerAction, AcmeReportedPower]>> = {
  [POWER_ON]: ['on', 'on'],
  [POWER_OFF]: ['off', 'off'],
  [SOFT_POWER_OFF]: ['graceful-off', 'off'],
  [REBOOT]: ['reset', 'on'],
};

export class AcmePower extends PowerInterface {
  static override readonly optionGroups = [acmeOptions];

  override getProperties(): PropertyTable {
    return ACME_PROPERTIES;
  }

  validate(task: TaskContext): void {
    parseDriverInfo(task.node);
  }

  async getPowerState(task: TaskContext): Promise<PowerState> {
    const { client, chassisId } = connect(this.env, task);
    const state = await client.powerState(chassisId);
    // As Ironic's redfish driver does, a chassis on its way to a state is reported in it.
    return state === 'on' || state === 'powering-on' ? POWER_ON : POWER_OFF;
  }

  async setPowerState(task: TaskContext, state: PowerState, options?: PowerOptions): Promise<void> {
    const mapping = ACTIONS[state];
    if (!mapping) {
      throw new InvalidParameterValue(`The Acme power interface cannot set power state ${state}`);
    }
    const [action, reached] = mapping;
    const { client, chassisId } = connect(this.env, task);
    await client.powerAction(chassisId, action);
    await this.waitFor(task, client, chassisId, reached, options);
  }

  async reboot(task: TaskContext, options?: PowerOptions): Promise<void> {
    await this.setPowerState(task, REBOOT, options);
  }

  override getSupportedPowerStates(): PowerState[] {
    return [POWER_ON, POWER_OFF, REBOOT, SOFT_POWER_OFF];
  }

  /** Power actions are blocking: resolve once the controller reports the state, or fail. */
  private async waitFor(
    task: TaskContext,
    client: AcmeClient,
    chassisId: string,
    target: AcmeReportedPower,
    options: PowerOptions | undefined,
  ): Promise<void> {
    const { power_timeout, poll_interval } = this.env.config.get(acmeOptions);
    const deadline = Date.now() + (options?.timeout ?? power_timeout) * 1000;
    for (;;) {
      if ((await client.powerState(chassisId)) === target) return;
      if (Date.now() >= deadline) {
        throw new AcmeControllerError(
          `chassis ${chassisId} did not reach power ${target} in ${options?.timeout ?? power_timeout} seconds`,
        );
      }
      await sleepUnlessAborted(poll_interval * 1000, task.signal);
    }
  }
}
