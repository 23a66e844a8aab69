import type { DriverRegistry } from '@galvanic/driver-loader';
import { checkRequestedSteps, runSteps } from '../nodes/steps';
import type { NodeTask } from '../nodes/task';

export interface ServicingOptions {
  drivers: DriverRegistry;
  /** The steps the client named (`service_steps`, or a runbook's), run in the order given. */
  requestedSteps: readonly Record<string, unknown>[];
  /** API 1.108: service without the ramdisk; every step must then declare it needs none. */
  disableRamdisk: boolean;
}

/**
 * `servicing` (API 1.87): the requested service steps run on the active node, in order, and it
 * goes back to `active`; a step that starts asynchronous work leaves it in `service wait`.
 */
export async function serviceNode(task: NodeTask, options: ServicingOptions): Promise<void> {
  const steps = checkRequestedSteps(
    options.drivers,
    task,
    'service',
    options.requestedSteps,
    options.disableRamdisk,
  );
  // A step left waiting has already moved the node to `service wait`.
  if ((await runSteps(task, 'service', steps)) === 'done') await task.processEvent('done');
}
