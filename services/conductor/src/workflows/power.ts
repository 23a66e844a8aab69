import { untilAborted, type PowerInterface, type PowerState } from '@galvanic/driver-sdk';
import { PowerStateFailure } from '@galvanic/errors';
import {
  targetPowerStateFor,
  POWER_OFF,
  POWER_ON,
  REBOOT,
  SOFT_POWER_OFF,
  type PowerTarget,
} from '@galvanic/node-states';
import type { NodeTask } from '../nodes/task';
import type { CallOrigin, NodeIdent, NodeTaskManager } from '../nodes/task-manager';

/**
 * `change_node_power_state`: under the node's lock the power interface validates and the target
 * power state is recorded, and the caller is answered; the action then runs in the background,
 * and a failure clears the target and is recorded in last_error.
 */
export async function startPowerAction(
  tasks: NodeTaskManager,
  node: NodeIdent,
  call: CallOrigin,
  target: PowerTarget,
  timeoutSeconds: number,
): Promise<void> {
  await tasks.startAsync(
    node,
    call,
    async (task) => {
      refusePowerOff(task, target);
      await task.interfaceOf<PowerInterface>('power').validate(task.context);
      await task.save({ target_power_state: targetPowerStateFor(target), last_error: null });
    },
    (task) => runPowerAction(task, target, timeoutSeconds),
    async (task, error) => {
      await task.save({ target_power_state: null, last_error: error.message });
    },
  );
}

/** Ironic's refusal to power off a node with `disable_power_off` (1.95), whoever asks. */
function refusePowerOff(task: NodeTask, target: PowerTarget): void {
  if (task.node.disable_power_off && stateAfter(target) === POWER_OFF) {
    throw new PowerStateFailure(target);
  }
}

/** The power state a node is in once an action completed. */
function stateAfter(target: PowerTarget): PowerState {
  return target === POWER_OFF || target === SOFT_POWER_OFF ? POWER_OFF : POWER_ON;
}

/**
 * Runs a power action through the node's power interface and records the outcome, as Ironic
 * does: the driver resolves once the BMC reached the state; it gets `timeoutSeconds` for that.
 */
export async function runPowerAction(
  task: NodeTask,
  target: PowerTarget,
  timeoutSeconds: number,
): Promise<void> {
  refusePowerOff(task, target);
  const power = task.interfaceOf<PowerInterface>('power');
  // One controller for the deadline and the task's own end, cleared when the action settles: a
  // timer and listeners made per action (AbortSignal.timeout, AbortSignal.any) otherwise stayed
  // behind, each until its deadline, for every action however short.
  const stop = new AbortController();
  const timer = setTimeout(
    () =>
      stop.abort(
        new Error(
          `Failed to set node power state to ${target}: timed out after ${timeoutSeconds} seconds.`,
        ),
      ),
    timeoutSeconds * 1000,
  ).unref();
  const taskSignal = task.context.signal;
  const onTaskEnd = () => stop.abort(taskSignal.reason);
  if (taskSignal.aborted) onTaskEnd();
  else taskSignal.addEventListener('abort', onTaskEnd, { once: true });
  const context = { ...task.context, signal: stop.signal };
  try {
    // A hard reboot is the interface's reboot; every other target, soft reboot included, is a state.
    const action =
      target === REBOOT
        ? power.reboot(context, { timeout: timeoutSeconds })
        : power.setPowerState(context, target as PowerState, { timeout: timeoutSeconds });
    await untilAborted(action, stop.signal);
  } finally {
    clearTimeout(timer);
    taskSignal.removeEventListener('abort', onTaskEnd);
  }
  await task.save({
    power_state: stateAfter(target),
    target_power_state: null,
    last_error: null,
    driver_internal_info: {
      ...task.context.node.driverInternalInfo,
      last_power_state_change: new Date().toISOString().replace('Z', ''),
    },
  });
}
