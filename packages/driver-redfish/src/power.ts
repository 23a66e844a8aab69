import {
  InvalidParameterValue,
  POWER_OFF,
  POWER_ON,
  PowerInterface,
  REBOOT,
  SOFT_POWER_OFF,
  SOFT_REBOOT,
  sleepUnlessAborted,
  type DriverEnvironment,
  type PowerOptions,
  type PowerState,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import type { ComputerSystem, ResetType } from 'redfish-ts';
import { redfishCall } from './call';
import { closeRedfishClients, connect, driverInfoOf, type RedfishConnection } from './connect';
import { PowerStateFailure, RedfishConnectionFailure, RedfishFailure } from './errors';
import { redfishOptions } from './options';
import { REDFISH_PROPERTIES } from './properties';

/** Seconds a power action may take when the caller gives none: `[conductor] power_state_change_timeout`'s default. */
const DEFAULT_POWER_TIMEOUT = 60;
/**
 * PowerState reads after an action: every BRISK_POLL_MS for the first BRISK_PERIOD_MS (an
 * emulator or a quick BMC is done by then, and a doubling backoff would overshoot it by as much
 * as it waited), then backing off to `[redfish] power_state_poll_interval`.
 */
const BRISK_POLL_MS = 25;
const BRISK_PERIOD_MS = 1000;

/** Redfish PowerState → Ironic's, as Ironic maps it (a transition counts as its destination). */
const POWER_STATES: Readonly<Record<string, PowerState>> = {
  On: POWER_ON,
  PoweringOn: POWER_ON,
  Off: POWER_OFF,
  PoweringOff: POWER_OFF,
};

export interface Deadline {
  readonly at: number;
  readonly seconds: number;
}

export function deadlineOf(options: PowerOptions | undefined): Deadline {
  const seconds = options?.timeout ?? DEFAULT_POWER_TIMEOUT;
  return { at: Date.now() + seconds * 1000, seconds };
}

/** The System's PowerState as the BMC reports it: On, Off, PoweringOn, PoweringOff, ... */
export async function readPowerState(
  task: TaskContext,
  connection: RedfishConnection,
): Promise<string> {
  return (await readSystem(task, connection)).PowerState ?? 'Unknown';
}

function readSystem(task: TaskContext, connection: RedfishConnection): Promise<ComputerSystem> {
  return redfishCall(task, connection, 'reading the power state', () => connection.system.get());
}

/**
 * Power actions through ComputerSystem.Reset. Each resolves once the System itself reports
 * the state reached (PowerState On or Off, not PoweringOn/PoweringOff), or fails with
 * PowerStateFailure when the timeout runs out.
 */
export class PowerActions {
  constructor(private readonly env: DriverEnvironment) {}

  async powerOn(
    task: TaskContext,
    connection: RedfishConnection,
    state: PowerState,
    deadline: Deadline,
  ) {
    const system = await readSystem(task, connection);
    if (system.PowerState === 'On') return;
    await this.reset(task, connection, system, 'On');
    await this.waitFor(task, connection, 'On', state, 'On', deadline);
  }

  async powerOff(
    task: TaskContext,
    connection: RedfishConnection,
    resetType: 'ForceOff' | 'GracefulShutdown',
    state: PowerState,
    deadline: Deadline,
  ) {
    const system = await readSystem(task, connection);
    if (system.PowerState === 'Off') return;
    await this.reset(task, connection, system, resetType);
    await this.waitFor(task, connection, 'Off', state, resetType, deadline);
  }

  async softReboot(task: TaskContext, connection: RedfishConnection, deadline: Deadline) {
    const system = await readSystem(task, connection);
    if (system.PowerState === 'Off') return this.powerOn(task, connection, SOFT_REBOOT, deadline);
    await this.reset(task, connection, system, 'GracefulRestart');
    await this.waitFor(task, connection, 'On', SOFT_REBOOT, 'GracefulRestart', deadline);
  }

  /**
   * A Reset POST that failed after it may have reached the BMC is not sent again: waiting for the
   * state tells whether it was carried out.
   */
  private async reset(
    task: TaskContext,
    connection: RedfishConnection,
    system: ComputerSystem,
    resetType: ResetType,
  ) {
    // The System just read names the action and its allowed values: POSTing it straight away
    // saves the GET redfish-ts would make to find them; ActionInfo-only BMCs go the long way.
    const action = system.Actions?.['#ComputerSystem.Reset'];
    const allowed = action?.['ResetType@Redfish.AllowableValues'];
    const direct = action?.target !== undefined && Array.isArray(allowed);
    if (direct && !allowed.includes(resetType)) {
      throw new RedfishFailure(
        `ComputerSystem.Reset ${resetType} on node ${task.node.uuid}: the BMC does not allow ResetType ${resetType} (allowed: ${allowed.join(', ')})`,
      );
    }
    try {
      await redfishCall(task, connection, `ComputerSystem.Reset ${resetType}`, () =>
        direct
          ? connection.client.performAction(action.target, { ResetType: resetType })
          : connection.system.reset(resetType),
      );
    } catch (error) {
      if (!mayHaveBeenCarriedOut(error)) throw error;
      task.logger.warn('the BMC may have received the reset; waiting for the power state', {
        node: task.node.uuid,
        reset_type: resetType,
      });
    }
  }

  private async waitFor(
    task: TaskContext,
    connection: RedfishConnection,
    wanted: 'On' | 'Off',
    state: PowerState,
    resetType: string,
    deadline: Deadline,
  ): Promise<void> {
    const maxInterval = this.env.config.get(redfishOptions).power_state_poll_interval * 1000;
    const started = Date.now();
    let interval = Math.min(BRISK_POLL_MS, maxInterval);
    for (;;) {
      const found = await readPowerState(task, connection);
      if (found === wanted) return;
      const left = deadline.at - Date.now();
      if (left <= 0) {
        throw new PowerStateFailure(
          state,
          `the System still reported PowerState ${found} ${deadline.seconds} seconds after ComputerSystem.Reset ${resetType}.`,
        );
      }
      await sleepUnlessAborted(Math.min(interval, left), task.signal);
      if (Date.now() - started >= BRISK_PERIOD_MS) interval = Math.min(interval * 2, maxInterval);
    }
  }
}

function mayHaveBeenCarriedOut(error: unknown): boolean {
  return error instanceof RedfishConnectionFailure && error.requestMayHaveBeenSent;
}

/** Ironic's `redfish` power interface. */
export class RedfishPower extends PowerInterface {
  static override readonly optionGroups = [redfishOptions];
  private readonly actions = new PowerActions(this.env);

  override async close(): Promise<void> {
    await closeRedfishClients();
  }

  override getProperties(): PropertyTable {
    return REDFISH_PROPERTIES;
  }

  validate(task: TaskContext): void {
    driverInfoOf(this.env, task);
  }

  async getPowerState(task: TaskContext): Promise<PowerState> {
    const found = await readPowerState(task, connect(this.env, task));
    return POWER_STATES[found] ?? 'error';
  }

  override getSupportedPowerStates(): PowerState[] {
    return [POWER_ON, POWER_OFF, REBOOT, SOFT_POWER_OFF, SOFT_REBOOT];
  }

  async setPowerState(task: TaskContext, state: PowerState, options?: PowerOptions): Promise<void> {
    const connection = connect(this.env, task);
    const deadline = deadlineOf(options);
    switch (state) {
      case POWER_ON:
        return this.actions.powerOn(task, connection, state, deadline);
      case POWER_OFF:
        return this.actions.powerOff(task, connection, 'ForceOff', state, deadline);
      case SOFT_POWER_OFF:
        return this.actions.powerOff(task, connection, 'GracefulShutdown', state, deadline);
      case REBOOT:
        return this.reboot(task, options);
      case SOFT_REBOOT:
        return this.actions.softReboot(task, connection, deadline);
      default:
        throw new InvalidParameterValue(
          `The redfish power interface cannot set power state ${state}.`,
        );
    }
  }

  /**
   * As Ironic's: a System that is on is forced off (waiting until it reports Off), then turned
   * on; one that is off is turned on. Off-then-on rather than ForceRestart, so a boot device or
   * BIOS settings pending on the BMC are taken at a real power-on.
   */
  async reboot(task: TaskContext, options?: PowerOptions): Promise<void> {
    const connection = connect(this.env, task);
    const deadline = deadlineOf(options);
    await this.actions.powerOff(task, connection, 'ForceOff', REBOOT, deadline);
    await this.actions.powerOn(task, connection, REBOOT, deadline);
  }
}
