import { InspectInterface, type TaskContext } from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

/** Finds nothing, taking `[fake] inspect_delay` to do it. */
export class FakeInspect extends InspectInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  async inspectHardware(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'inspect', task);
  }
}
