import {
  BiosInterface,
  InvalidParameterValue,
  cleanStep,
  deployStep,
  type BiosSetting,
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

/**
 * The settings every fake node's BIOS starts with (and returns to on `factory_reset`), with
 * registry fields so the API's detailed view has something to show.
 */
export const FAKE_BIOS_DEFAULTS: readonly BiosSetting[] = [
  {
    name: 'BootMode',
    value: 'Uefi',
    attribute_type: 'Enumeration',
    allowable_values: ['Bios', 'Uefi'],
    read_only: false,
    reset_required: true,
    unique: false,
  },
  {
    name: 'ProcTurboMode',
    value: 'Enabled',
    attribute_type: 'Enumeration',
    allowable_values: ['Enabled', 'Disabled'],
    read_only: false,
    reset_required: true,
    unique: false,
  },
  {
    name: 'SerialNumber',
    value: 'FAKE0001',
    attribute_type: 'String',
    min_length: 1,
    max_length: 16,
    read_only: true,
    reset_required: false,
    unique: true,
  },
];

const APPLY_CONFIGURATION_ARGSINFO = {
  settings: {
    description: 'List of BIOS settings, each a {"name": ..., "value": ...} object.',
    required: true,
  },
};

/**
 * Remembers BIOS settings per node; applying and resetting are manual clean steps, and applying
 * is also a deploy step that deploy templates may run.
 */
export class FakeBios extends BiosInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  /** The defaults, with the settings applied to the node over them (new names as strings). */
  override cacheBiosSettings(task: TaskContext): Promise<BiosSetting[]> {
    const stored = task.node.driverInternalInfo[FAKE_BIOS_SETTINGS_KEY];
    const applied = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<
      string,
      string
    >;
    const settings = new Map<string, BiosSetting>(FAKE_BIOS_DEFAULTS.map((s) => [s.name, s]));
    for (const [name, value] of Object.entries(applied)) {
      settings.set(name, { ...(settings.get(name) ?? { name }), value });
    }
    return Promise.resolve(
      [...settings.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    );
  }

  // A clean step and a deploy step (for deploy templates), as Ironic's fake BIOS has it.
  @cleanStep({ priority: 0, requiresRamdisk: false, argsinfo: APPLY_CONFIGURATION_ARGSINFO })
  @deployStep({ priority: 0, requiresRamdisk: false, argsinfo: APPLY_CONFIGURATION_ARGSINFO })
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
