import type { DriverRegistry } from '@galvanic/driver-loader';
import type { DeployInterface, PowerInterface } from '@galvanic/driver-sdk';
import { CLEANING } from '@galvanic/node-states';
import { automaticSteps, checkRequestedSteps, runSteps } from '../nodes/steps';
import type { NodeTask } from '../nodes/task';
import { cleanNode } from './cleaning';

/** What a deploy needs before the node moves: its power, deploy and boot interfaces validate. */
export async function validateDeploy(task: NodeTask): Promise<void> {
  for (const kind of ['power', 'deploy', 'boot'] as const)
    await task.interfaceOf(kind).validate(task.context);
}

/** `deploying`: the enabled deploy steps and the requested ones, by priority, highest first. */
export async function deployNode(
  task: NodeTask,
  drivers: DriverRegistry,
  requestedSteps: readonly Record<string, unknown>[] | undefined,
): Promise<void> {
  const requested = requestedSteps
    ? checkRequestedSteps(drivers, task, 'deploy', requestedSteps)
    : [];
  const steps = [...automaticSteps(drivers, task, 'deploy'), ...requested].sort(
    (a, b) => b.priority - a.priority,
  );
  if ((await runSteps(task, 'deploy', steps)) === 'wait') return;
  await endDeploy(task);
}

/** After the last deploy step (here, or when an agent's heartbeat finished the steps). */
export async function endDeploy(task: NodeTask): Promise<void> {
  await recordPowerState(task);
  await task.processEvent('done');
}

/**
 * `deleting` (undeploy): the deploy interface tears the instance down, the instance is
 * forgotten, and the node goes on to automated cleaning (or straight to `available` when it is
 * off).
 */
export async function tearDownNode(
  task: NodeTask,
  drivers: DriverRegistry,
  automatedClean: boolean,
): Promise<void> {
  await task.interfaceOf<DeployInterface>('deploy').tearDown(task.context);
  await recordPowerState(task);
  await task.save({ instance_info: {}, instance_uuid: null });
  await task.processEvent('clean', { automatedClean });
  if (task.provisionState === CLEANING) await cleanNode(task, { drivers, automatedClean });
}

/**
 * Deploy and tear-down steps power the node through its driver (as Ironic's node_power_action
 * records each change): the node shows the state they left it in.
 */
async function recordPowerState(task: NodeTask): Promise<void> {
  const power = task.interfaceOf<PowerInterface>('power');
  await task.save({ power_state: await power.getPowerState(task.context) });
}

/**
 * Aborting `wait call-back` (API 1.110): the deploy interface cleans up and the node stays in
 * `deploy failed` with Ironic's last_error, naming the step it was in, for the operator to look
 * into or deploy again.
 */
export async function abortDeployment(task: NodeTask): Promise<void> {
  await task.interfaceOf<DeployInterface>('deploy').cleanUp(task.context);
  const step = task.node.deploy_step as { interface?: string; step?: string };
  const during =
    step.step === undefined
      ? ''
      : ` during or after the completion of step "${step.interface}.${step.step}"`;
  await task.save({
    last_error: `By request, the deploy operation was aborted${during}`,
    deploy_step: {},
  });
}
