import { closeSharedIpmiClient } from './client';
import {
  InvalidParameterValue,
  POWER_OFF,
  POWER_ON,
  PowerInterface,
  REBOOT,
  SOFT_POWER_OFF,
  SOFT_REBOOT,
  sleepUnlessAborted,
  type PowerOptions,
  type PowerState,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import type { ChassisControlAction } from 'ipmi-ts';
import { sendBootDevice } from './boot-device';
import { takeNextBootDevice } from './boot-records';
import { ipmiCall } from './call';
import { connect, driverInfoOf, type IpmiConnection } from './connect';
import { PowerStateFailure } from './errors';
import { ipmiOptions } from './options';
import { IPMI_PROPERTIES } from './properties';

/** Seconds a power action may take when the caller gives none: `[conductor] power_state_change_timeout`'s default. */
const DEFAULT_POWER_TIMEOUT = 60;

interface Deadline {
  readonly at: number;
  readonly seconds: number;
}

/** Power through Get Chassis Status and Chassis Control; every action waits for the BMC to report it. */
export class IpmiPower extends PowerInterface {
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

  async getPowerState(task: TaskContext): Promise<PowerState> {
    return (await this.isOn(task, connect(this.env, task))) ? POWER_ON : POWER_OFF;
  }

  override getSupportedPowerStates(): PowerState[] {
    return [POWER_ON, POWER_OFF, REBOOT, SOFT_POWER_OFF, SOFT_REBOOT];
  }

  async setPowerState(task: TaskContext, state: PowerState, options?: PowerOptions): Promise<void> {
    const connection = connect(this.env, task);
    const deadline = deadlineOf(options);
    switch (state) {
      case POWER_ON:
        return this.powerOn(task, connection, state, deadline);
      case POWER_OFF:
        return this.control(task, connection, 'off', false, state, deadline);
      case SOFT_POWER_OFF:
        return this.control(task, connection, 'soft', false, state, deadline);
      case REBOOT:
        return this.reboot(task, options);
      case SOFT_REBOOT:
        await this.control(task, connection, 'soft', false, state, deadline);
        return this.powerOn(task, connection, state, deadline);
      default:
        throw new InvalidParameterValue(
          `The ipmitool power interface cannot set power state ${state}.`,
        );
    }
  }

  /** As Ironic's: off (waiting until the BMC reports it) when on, then on. */
  async reboot(task: TaskContext, options?: PowerOptions): Promise<void> {
    const connection = connect(this.env, task);
    const deadline = deadlineOf(options);
    if (await this.isOn(task, connection)) {
      await this.control(task, connection, 'off', false, REBOOT, deadline);
    }
    await this.powerOn(task, connection, REBOOT, deadline);
  }

  private async powerOn(
    task: TaskContext,
    connection: IpmiConnection,
    state: PowerState,
    deadline: Deadline,
  ): Promise<void> {
    if (connection.info.forceBootDevice) {
      const device = takeNextBootDevice(task.node);
      if (device) await sendBootDevice(this.env, task, connection, device, false);
    }
    await this.control(task, connection, 'on', true, state, deadline);
  }

  /** Sends a chassis control action, then reads chassis status until it reports power `on` (true: on, false: off) or time is up. */
  private async control(
    task: TaskContext,
    connection: IpmiConnection,
    action: ChassisControlAction,
    on: boolean,
    state: PowerState,
    deadline: Deadline,
  ): Promise<void> {
    const { bmc } = connection;
    await ipmiCall(task, connection, `chassis power ${action}`, () => bmc.chassisControl(action));
    const interval = this.env.config.get(ipmiOptions).power_state_poll_interval * 1000;
    for (;;) {
      if ((await this.isOn(task, connection)) === on) return;
      const left = deadline.at - Date.now();
      if (left <= 0) {
        throw new PowerStateFailure(
          state,
          `the BMC still reported power ${on ? 'off' : 'on'} ${deadline.seconds} seconds after chassis power ${action}.`,
        );
      }
      await sleepUnlessAborted(Math.min(interval, left), task.signal);
    }
  }

  private async isOn(task: TaskContext, connection: IpmiConnection): Promise<boolean> {
    const { bmc } = connection;
    return ipmiCall(task, connection, 'chassis power status', () => bmc.getPowerState());
  }
}

function deadlineOf(options: PowerOptions | undefined): Deadline {
  const seconds = options?.timeout ?? DEFAULT_POWER_TIMEOUT;
  return { at: Date.now() + seconds * 1000, seconds };
}
