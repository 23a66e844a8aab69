import { StorageInterface, type TaskContext } from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

export class FakeStorage extends StorageInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  async attachVolumes(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'storage', task);
  }

  async detachVolumes(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'storage', task);
  }
}
