import { describe, expect, it } from 'vitest';
import { stepsOf } from '@galvanic/driver-sdk';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import { FakeBios, FakeDeploy, FakeRaid, FakeStorage } from '../src';

describe('fake steps', () => {
  it('deploy is the main deploy step, priority 100', () => {
    expect(stepsOf(buildInterface(FakeDeploy), 'deploy')).toEqual([
      expect.objectContaining({ kind: 'deploy', name: 'deploy', priority: 100 }),
    ]);
  });

  it('RAID and BIOS offer manual clean steps', () => {
    const names = (steps: { name: string; priority: number }[]) =>
      steps.map((s) => [s.name, s.priority]);
    expect(names(stepsOf(buildInterface(FakeRaid), 'clean'))).toEqual([
      ['create_configuration', 0],
      ['delete_configuration', 0],
    ]);
    expect(names(stepsOf(buildInterface(FakeBios), 'clean'))).toEqual([
      ['apply_configuration', 0],
      ['factory_reset', 0],
    ]);
  });

  it('BIOS settings are kept on the node until a factory reset', async () => {
    const bios = buildInterface(FakeBios);
    const task = makeTask();
    await bios.apply_configuration(task, { settings: [{ name: 'LogicalProc', value: 'Enabled' }] });
    await bios.apply_configuration(task, { settings: [{ name: 'BootMode', value: 'Uefi' }] });
    expect(task.node.driverInternalInfo.fake_bios_settings).toEqual({
      LogicalProc: 'Enabled',
      BootMode: 'Uefi',
    });
    await bios.factory_reset(task, {});
    expect(task.node.driverInternalInfo.fake_bios_settings).toBeUndefined();
    await expect(bios.apply_configuration(task, {})).rejects.toThrow('settings');
  });

  it('fake storage writes the image', () => {
    expect(buildInterface(FakeStorage).shouldWriteImage(makeTask())).toBe(true);
  });
});
