import { DeployInterface, deployStep, type TaskContext } from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

/** Deploys nothing, taking `[fake] deploy_delay` to do it. */
export class FakeDeploy extends DeployInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  @deployStep({ priority: 100 })
  async deploy(task: TaskContext, _args: Record<string, unknown>): Promise<void> {
    await fakeDelay(this.env, 'deploy', task);
  }

  async tearDown(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'deploy', task);
  }

  override async prepare(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'deploy', task);
  }

  override async cleanUp(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'deploy', task);
  }

  async takeOver(task: TaskContext): Promise<void> {
    await fakeDelay(this.env, 'deploy', task);
  }
}
