import {
  FirmwareInterface,
  cleanStep,
  type FirmwareComponent,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { fakeDelay } from './delay';
import { fakeOptions } from './options';

/** Where the fake keeps the versions its `update` step flashed, by component. */
export const FAKE_FIRMWARE_KEY = 'fake_firmware_versions';

/** The components every fake node has, with the versions it starts with. */
export const FAKE_FIRMWARE_DEFAULTS: readonly FirmwareComponent[] = [
  { component: 'bios', current_version: '1.0.0', vendor: null, model: null, serial_number: null },
  {
    component: 'bmc',
    current_version: '1.0.0',
    vendor: null,
    model: 'Fake BMC',
    serial_number: null,
  },
];

/**
 * Pretends to update firmware, as a manual clean step whose `settings` name a component and the
 * version to flash (`{"component": "bios", "url": "...", "version": "1.1.0"}`), and reports the
 * components with the versions last flashed.
 */
export class FakeFirmware extends FirmwareInterface {
  static override readonly optionGroups = [fakeOptions];

  validate(): void {}

  override cacheFirmwareComponents(task: TaskContext): Promise<FirmwareComponent[]> {
    const stored = task.node.driverInternalInfo[FAKE_FIRMWARE_KEY];
    const flashed = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<
      string,
      string
    >;
    return Promise.resolve(
      FAKE_FIRMWARE_DEFAULTS.map((c) => ({
        ...c,
        current_version: flashed[c.component] ?? c.current_version,
      })),
    );
  }

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
  async update(task: TaskContext, args: Record<string, unknown>): Promise<void> {
    await fakeDelay(this.env, 'firmware', task);
    const settings = Array.isArray(args.settings) ? (args.settings as unknown[]) : [];
    const internal = task.node.driverInternalInfo;
    const flashed = { ...((internal[FAKE_FIRMWARE_KEY] as Record<string, string>) ?? {}) };
    for (const setting of settings) {
      const { component, version } = (setting ?? {}) as { component?: unknown; version?: unknown };
      if (typeof component === 'string' && typeof version === 'string')
        flashed[component] = version;
    }
    internal[FAKE_FIRMWARE_KEY] = flashed;
  }
}
