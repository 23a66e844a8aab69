import {
  POWER_OFF,
  POWER_ON,
  SOFT_POWER_OFF,
  type PowerInterface,
  type PowerOptions,
  type PowerState,
  type TaskContext,
} from '@galvanic/driver-sdk';

/**
 * The power interface a task on a node with `disable_power_off` (API 1.95) hands to its
 * drivers: a power-off asked by deploy, clean or tear-down work is not made, and the power-on
 * that follows it becomes a reboot, so the machine goes through the fresh boot the work expects
 * without ever being off, as Ironic's flows do for such nodes.
 */
export function withoutPowerOff(power: PowerInterface): PowerInterface {
  let offSkipped = false;
  const guarded = Object.create(power) as PowerInterface;
  guarded.setPowerState = async (
    task: TaskContext,
    state: PowerState,
    options?: PowerOptions,
  ): Promise<void> => {
    if (state === POWER_OFF || state === SOFT_POWER_OFF) {
      offSkipped = true;
      task.logger.info('not powering off a node with disable_power_off', { node: task.node.uuid });
      return;
    }
    if (state === POWER_ON && offSkipped) {
      offSkipped = false;
      await power.reboot(task, options);
      return;
    }
    await power.setPowerState(task, state, options);
  };
  return guarded;
}
