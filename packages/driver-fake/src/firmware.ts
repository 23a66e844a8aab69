import { FirmwareInterface, cleanStep, type TaskContext } from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

/** Pretends to update firmware, as a manual clean step. */
export class FakeFirmware extends FirmwareInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  @cleanStep({
    priority: 0,
    requiresRamdisk: false,
    argsinfo: {
      settings: {
        description: 'List of firmware components to update, each a {"component", "url"} object.',
        required: true,
      },
    },
  })
  async update(task: TaskContext, _args: Record<string, unknown>): Promise<void> {
    await fakeDelay(this.env, 'firmware', task);
  }
}
