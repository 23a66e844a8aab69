import { ConsoleInterface, type TaskContext } from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

export class FakeConsole extends ConsoleInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  async startConsole(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'console', task);
  }

  async stopConsole(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'console', task);
  }

  /** There is no console to connect to. */
  async getConsole(): Promise<null> {
    return null;
  }
}
