import type { AllocationStore } from '@galvanic/db';
import type { DriverRegistry } from '@galvanic/driver-loader';
import type { DeployInterface } from '@galvanic/driver-sdk';
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
  await runSteps(task, 'deploy', steps);
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
  const allocationId = task.node.allocation_id;
  await task.save({ instance_info: {}, instance_uuid: null, allocation_id: null });
  if (allocationId !== null) await allocations.deleteById(allocationId);
  await task.processEvent('clean', { automatedClean });
  if (task.provisionState === CLEANING) await cleanNode(task, { drivers, automatedClean });
}
