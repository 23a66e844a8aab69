import {
  BiosInterface,
  InvalidParameterValue,
  cleanStep,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

/** Where the settings applied to a node are kept, in its driver_internal_info. */
export const FAKE_BIOS_SETTINGS_KEY = 'fake_bios_settings';

function settingsOf(args: Record<string, unknown>): Record<string, string> {
  const settings = args.settings;
  if (!Array.isArray(settings)) {
    throw new InvalidParameterValue('The "settings" argument must be a list of {name, value}.');
  }
  const applied: Record<string, string> = {};
  for (const item of settings as unknown[]) {
    const { name, value } = (item ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || value === undefined) {
      throw new InvalidParameterValue('Each BIOS setting needs a "name" and a "value".');
    }
    applied[name] = String(value);
  }
  return applied;
}

/** Remembers BIOS settings per node; applying and resetting are manual clean steps. */
export class FakeBios extends BiosInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  @cleanStep({
    priority: 0,
    requiresRamdisk: false,
    argsinfo: {
      settings: {
        description: 'List of BIOS settings, each a {"name": ..., "value": ...} object.',
        required: true,
      },
    },
  })
  async apply_configuration(task: TaskContext, args: Record<string, unknown>): Promise<void> {
    const applied = settingsOf(args);
    await fakeDelay(this.env, 'bios', task);
    const current = task.node.driverInternalInfo[FAKE_BIOS_SETTINGS_KEY];
    task.node.driverInternalInfo[FAKE_BIOS_SETTINGS_KEY] = {
      ...(typeof current === 'object' && current !== null ? current : {}),
      ...applied,
    };
  }

  @cleanStep({ priority: 0, requiresRamdisk: false })
  async factory_reset(task: TaskContext, _args: Record<string, unknown>): Promise<void> {
    await fakeDelay(this.env, 'bios', task);
    delete task.node.driverInternalInfo[FAKE_BIOS_SETTINGS_KEY];
  }
}
