import type { DriverRegistry } from '@galvanic/driver-loader';
import { CLEANING, completionEvent } from '@galvanic/node-states';
import {
  abortedOperationError,
  automaticSteps,
  checkRequestedSteps,
  forgetHeldSteps,
  resumeHeldSteps,
  runSteps,
} from '../nodes/steps';
import type { StepsOutcome } from '../nodes/steps';
import type { NodeTask } from '../nodes/task';

export interface CleaningOptions {
  drivers: DriverRegistry;
  /** Whether automated cleaning runs for the node (its own setting, else the conductor's). */
  automatedClean: boolean;
  /** Manual cleaning's steps; automated cleaning runs the steps the interfaces enable. */
  requestedSteps?: readonly Record<string, unknown>[];
}

/**
 * `cleaning`: manual cleaning runs the requested steps and ends in `manageable`; automated
 * cleaning runs the steps with a priority above zero (none when it is off) and ends in
 * `available` (`manageable` for a retired node).
 */
export async function cleanNode(task: NodeTask, options: CleaningOptions): Promise<void> {
  const { drivers, requestedSteps } = options;
  const steps = requestedSteps
    ? checkRequestedSteps(drivers, task, 'clean', requestedSteps)
    : options.automatedClean
      ? automaticSteps(drivers, task, 'clean')
      : [];
  await finishCleaning(task, await runSteps(task, 'clean', steps));
}

/** After `unhold`: cleaning goes on with the steps after the `hold` step (API 1.85). */
export async function resumeCleaning(task: NodeTask): Promise<void> {
  await finishCleaning(task, await resumeHeldSteps(task, 'clean'));
}

/** Aborting `clean wait` or `clean hold`: the node is in `clean failed` with Ironic's last_error. */
export async function abortCleaning(task: NodeTask): Promise<void> {
  forgetHeldSteps(task, 'clean');
  await task.save({
    last_error: abortedOperationError('clean', task.node.clean_step),
    clean_step: {},
  });
}

async function finishCleaning(task: NodeTask, outcome: StepsOutcome): Promise<void> {
  if (outcome === 'held') return;
  // A retired node goes back to manageable, never to available, as in Ironic.
  await task.processEvent(
    task.node.retired ? 'manage' : completionEvent(CLEANING, task.targetProvisionState),
  );
}
