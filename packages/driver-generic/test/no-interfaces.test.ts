import { describe, expect, it } from 'vitest';
import { UnsupportedDriverExtension, type TaskContext } from '@galvanic/driver-sdk';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import { NoBios, NoConsole, NoFirmware, NoInspect, NoRaid, NoRescue, NoVendor } from '../src';

type Call = (task: TaskContext) => unknown;

const CASES: [string, Call[]][] = [
  ['bios', [(t) => buildInterface(NoBios).validate(t)]],
  ['firmware', [(t) => buildInterface(NoFirmware).validate(t)]],
  ['raid', [(t) => buildInterface(NoRaid).validate(t)]],
  [
    'inspect',
    [
      (t) => buildInterface(NoInspect).validate(t),
      (t) => buildInterface(NoInspect).inspectHardware(t),
    ],
  ],
  [
    'console',
    [
      (t) => buildInterface(NoConsole).validate(t),
      (t) => buildInterface(NoConsole).startConsole(t),
      (t) => buildInterface(NoConsole).stopConsole(t),
      (t) => buildInterface(NoConsole).getConsole(t),
    ],
  ],
  [
    'rescue',
    [
      (t) => buildInterface(NoRescue).validate(t),
      (t) => buildInterface(NoRescue).rescue(t),
      (t) => buildInterface(NoRescue).unrescue(t),
    ],
  ],
  [
    'vendor',
    [(t) => buildInterface(NoVendor).validate(t), (t) => buildInterface(NoVendor).validateCall(t)],
  ],
];

describe('the no-* interfaces', () => {
  it.each(CASES)('no-%s refuses validation and every action', async (kind, calls) => {
    const task = makeTask({ driverName: 'ipmi' });
    for (const call of calls) {
      const outcome = (async () => call(task))();
      await expect(outcome).rejects.toThrow(UnsupportedDriverExtension);
      await expect(outcome).rejects.toThrow(
        `Driver ipmi does not support ${kind} (disabled or not implemented).`,
      );
    }
  });
});
