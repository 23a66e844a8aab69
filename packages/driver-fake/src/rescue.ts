import { RescueInterface, type TaskContext } from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

export class FakeRescue extends RescueInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  async rescue(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'rescue', task);
  }

  async unrescue(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'rescue', task);
  }
}
