import { RaidInterface, cleanStep, type TaskContext } from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

/** Pretends to build and remove RAID volumes, as manual clean steps. */
export class FakeRaid extends RaidInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  @cleanStep({
    priority: 0,
    requiresRamdisk: false,
    argsinfo: {
      create_root_volume: {
        description: 'Whether to create the root volume. Defaults to true.',
        required: false,
      },
      create_nonroot_volumes: {
        description: 'Whether to create the non-root volumes. Defaults to true.',
        required: false,
      },
    },
  })
  async create_configuration(task: TaskContext, _args: Record<string, unknown>): Promise<void> {
    await fakeDelay(this.env, 'raid', task);
  }

  @cleanStep({ priority: 0, requiresRamdisk: false })
  async delete_configuration(task: TaskContext, _args: Record<string, unknown>): Promise<void> {
    await fakeDelay(this.env, 'raid', task);
  }
}
