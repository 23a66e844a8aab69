import type { AllocationStore, DeployTemplateStore, NodeRow } from '@galvanic/db';
import type { DriverRegistry, ListedStep } from '@galvanic/driver-loader';
import type { DeployInterface, PowerInterface } from '@galvanic/driver-sdk';
import { InvalidParameterValue } from '@galvanic/errors';
import { CLEANING } from '@galvanic/node-states';
import {
  abortedOperationError,
  automaticSteps,
  checkRequestedSteps,
  forgetSteps,
  resumeSteps,
  runSteps,
} from '../nodes/steps';
import type { NodeTask } from '../nodes/task';
import { cleanNode } from './cleaning';

type DeployStep = ListedStep & { args?: Record<string, unknown> };

/**
 * The node's instance traits (`instance_info.traits`), checked as Ironic checks them: a list of
 * strings, each also one of the node's traits.
 */
function instanceTraits(node: NodeRow): string[] {
  const traits = node.instance_info.traits;
  if (traits === undefined || traits === null || (Array.isArray(traits) && !traits.length))
    return [];
  if (!Array.isArray(traits) || !traits.every((t) => typeof t === 'string')) {
    throw new InvalidParameterValue(
      `Error parsing traits from Node ${node.uuid} instance_info field. A list of strings is expected.`,
    );
  }
  const missing = (traits as string[]).filter((trait) => !node.traits.includes(trait));
  if (missing.length > 0) {
    throw new InvalidParameterValue(
      'Cannot specify instance traits that are not also set on the node. ' +
        `Node ${node.uuid} is missing traits ${missing.join(', ')}`,
    );
  }
  return traits as string[];
}

/**
 * The steps of the deploy templates the node's instance traits name, checked against the deploy
 * steps its interfaces declare, as Ironic words the failure.
 */
async function templateSteps(
  task: NodeTask,
  drivers: DriverRegistry,
  templates: DeployTemplateStore,
): Promise<DeployStep[]> {
  const matching = await templates.listByNames(instanceTraits(task.node));
  if (matching.length === 0) return [];
  const steps = matching.flatMap((template) => template.steps);
  try {
    return checkRequestedSteps(
      drivers,
      task,
      'deploy',
      steps as unknown as Record<string, unknown>[],
    );
  } catch (error) {
    if (!(error instanceof InvalidParameterValue)) throw error;
    throw new InvalidParameterValue(
      "Validation of deploy steps from deploy templates matching this node's instance traits " +
        `failed. Matching deploy templates: ${matching.map((t) => t.name).join(',')}. ` +
        `Errors: ${error.message}`,
    );
  }
}

/**
 * What a deploy needs before the node moves: its power, deploy and boot interfaces validate, and
 * the steps of the deploy templates its instance traits select are valid.
 */
export async function validateDeploy(
  task: NodeTask,
  drivers: DriverRegistry,
  templates: DeployTemplateStore,
): Promise<void> {
  for (const kind of ['power', 'deploy', 'boot'] as const)
    await task.interfaceOf(kind).validate(task.context);
  await templateSteps(task, drivers, templates);
}

const stepKey = (step: { interface: string; step: string }) => `${step.interface}.${step.step}`;

/**
 * `deploying`, as Ironic orders it: the interfaces' enabled deploy steps, where the steps of the
 * matching deploy templates and the requested ones replace those of the same name (their
 * priority wins; 0 disables a step), by priority, highest first.
 */
export async function deployNode(
  task: NodeTask,
  drivers: DriverRegistry,
  templates: DeployTemplateStore,
  requestedSteps: readonly Record<string, unknown>[] | undefined,
): Promise<void> {
  const requested = requestedSteps
    ? checkRequestedSteps(drivers, task, 'deploy', requestedSteps)
    : [];
  const chosen = [...(await templateSteps(task, drivers, templates)), ...requested];
  const chosenKeys = new Set(chosen.map(stepKey));
  const steps = [
    ...automaticSteps(drivers, task, 'deploy').filter((step) => !chosenKeys.has(stepKey(step))),
    ...chosen,
  ]
    .filter((step) => step.priority > 0)
    .sort((a, b) => b.priority - a.priority);
  if ((await runSteps(task, 'deploy', steps)) !== 'done') return;
  await endDeploy(task);
}

/** After `unhold` (API 1.85): the deployment goes on with the steps after the `hold` step. */
export async function resumeDeployment(task: NodeTask): Promise<void> {
  if ((await resumeSteps(task, 'deploy')) !== 'done') return;
  await endDeploy(task);
}

/** After the last deploy step (here, or when an agent's heartbeat finished the steps). */
export async function endDeploy(task: NodeTask): Promise<void> {
  await recordPowerState(task);
  await task.processEvent('done');
}

/**
 * `deleting` (undeploy): the deploy interface tears the instance down, the instance and its
 * allocation are forgotten (as Ironic deletes the allocation), and the node goes on to automated cleaning (or straight to `available` when it is
 * off).
 */
export async function tearDownNode(
  task: NodeTask,
  drivers: DriverRegistry,
  automatedClean: boolean,
  allocations: AllocationStore,
): Promise<void> {
  await task.interfaceOf<DeployInterface>('deploy').tearDown(task.context);
  await recordPowerState(task);
  const allocationId = task.node.allocation_id;
  await task.save({ instance_info: {}, instance_uuid: null, allocation_id: null });
  if (allocationId !== null) await allocations.deleteById(allocationId);
  await task.processEvent('clean', { automatedClean });
  if (task.provisionState === CLEANING) await cleanNode(task, { drivers, automatedClean });
}

/**
 * Aborting `wait call-back` (API 1.110) or `deploy hold` (1.85): the deploy interface cleans up
 * and the node stays in `deploy failed` with Ironic's last_error, naming the step it was in, for
 * the operator to look into or deploy again.
 */
export async function abortDeployment(task: NodeTask): Promise<void> {
  forgetSteps(task, 'deploy');
  await task.interfaceOf<DeployInterface>('deploy').cleanUp?.(task.context);
  await task.save({
    last_error: abortedOperationError('deploy', task.node.deploy_step),
    deploy_step: {},
  });
}

/**
 * Deploy and tear-down steps power the node through its driver (as Ironic's node_power_action
 * records each change): the node shows the state they left it in.
 */
async function recordPowerState(task: NodeTask): Promise<void> {
  const power = task.interfaceOf<PowerInterface>('power');
  await task.save({ power_state: await power.getPowerState(task.context) });
}
