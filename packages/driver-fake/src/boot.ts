import { BootInterface, type TaskContext } from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

export class FakeBoot extends BootInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  override async prepareRamdisk(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'boot', task);
  }

  override async cleanUpRamdisk(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'boot', task);
  }

  async prepareInstance(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'boot', task);
  }

  async cleanUpInstance(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'boot', task);
  }
}
