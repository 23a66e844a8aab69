import { ConsoleInterface, type TaskContext } from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

export class FakeConsole extends ConsoleInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  override async startConsole(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'console', task);
  }

  override async stopConsole(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'console', task);
  }

  /** There is no console to connect to. */
  override async getConsole(): Promise<null> {
    return null;
  }
}
