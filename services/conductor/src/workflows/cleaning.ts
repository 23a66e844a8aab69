import type { DriverRegistry } from '@galvanic/driver-loader';
import { isAgentStepsInterface } from '@galvanic/driver-sdk';
import { CLEANING, completionEvent } from '@galvanic/node-states';
import {
  abortedOperationError,
  automaticSteps,
  checkRequestedSteps,
  forgetSteps,
  resumeSteps,
  runSteps,
} from '../nodes/steps';
import type { NodeTask } from '../nodes/task';

export interface CleaningOptions {
  drivers: DriverRegistry;
  /** Whether automated cleaning runs for the node (its own setting, else the conductor's). */
  automatedClean: boolean;
  /** Manual cleaning's steps; automated cleaning runs the steps the interfaces enable. */
  requestedSteps?: readonly Record<string, unknown>[];
  /** Manual cleaning without the ramdisk (API 1.70): every step must declare it needs none. */
  disableRamdisk?: boolean;
}

/**
 * `cleaning`: manual cleaning runs the requested steps and ends in `manageable`; automated
 * cleaning runs the steps with a priority above zero (none when it is off) and ends in
 * `available` (`manageable` for a retired node). A step run by the node's agent leaves the node
 * in `clean wait` until the agent's heartbeats finish it (see `agent-callbacks.ts`).
 */
export async function cleanNode(task: NodeTask, options: CleaningOptions): Promise<void> {
  const { drivers, requestedSteps } = options;
  const steps = requestedSteps
    ? checkRequestedSteps(drivers, task, 'clean', requestedSteps, options.disableRamdisk)
    : options.automatedClean
      ? automaticSteps(drivers, task, 'clean')
      : [];
  if ((await runSteps(task, 'clean', steps)) !== 'done') return;
  await endCleaning(task, steps.length > 0);
}

/** After `unhold` (API 1.85): cleaning goes on with the steps after the `hold` step. */
export async function resumeCleaning(task: NodeTask): Promise<void> {
  if ((await resumeSteps(task, 'clean')) !== 'done') return;
  await endCleaning(task, true);
}

/** Aborting `clean wait` or `clean hold`: the node is in `clean failed` with Ironic's last_error. */
export async function abortCleaning(task: NodeTask): Promise<void> {
  forgetSteps(task, 'clean');
  await task.save({
    last_error: abortedOperationError('clean', task.node.clean_step),
    clean_step: {},
  });
}

/**
 * After the last clean step: an agent-driven deploy interface shuts its cleaning ramdisk down
 * (when steps ran), and the node moves on to where its cleaning leads.
 */
export async function endCleaning(task: NodeTask, stepsRan: boolean): Promise<void> {
  const deploy: unknown = task.interfaceOf('deploy');
  if (stepsRan && isAgentStepsInterface(deploy)) await deploy.tearDownCleaning(task.context);
  // A retired node goes back to manageable, never to available, as in Ironic.
  await task.processEvent(
    task.node.retired ? 'manage' : completionEvent(CLEANING, task.targetProvisionState),
  );
}
