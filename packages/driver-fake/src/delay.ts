import { sleepUnlessAborted, type DriverEnvironment, type TaskContext } from '@galvanic/driver-sdk';
import { fakeOptions, type FakeDelayKind } from './options';

/**
 * Waits `[fake] <kind>_delay` seconds, holding the node's lock as a real driver would, and gives
 * up with the task's signal.
 */
export async function fakeDelay(
  env: DriverEnvironment,
  kind: FakeDelayKind,
  task: TaskContext,
): Promise<void> {
  const seconds = env.config.get(fakeOptions)[`${kind}_delay`];
  if (seconds > 0) await sleepUnlessAborted(seconds * 1000, task.signal);
}
