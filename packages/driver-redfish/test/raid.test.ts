import { describe, expect, it } from 'vitest';
import { InvalidParameterValue, UnsupportedDriverExtension, stepsOf } from '@galvanic/driver-sdk';
import { buildInterface, makeNode } from '@galvanic/driver-sdk/testing';
import { RedfishRaid } from '../src';
import { failure, taskOn } from './support';

const raid = buildInterface(RedfishRaid);
const task = () =>
  taskOn(makeNode({ driver: 'redfish', driverInfo: { redfish_address: 'https://127.0.0.1:1' } }), {
    raid,
  });

describe('RedfishRaid', () => {
  it("accepts a target RAID configuration that follows Ironic's schema", () => {
    expect(() =>
      raid.validateRaidConfig(task(), {
        logical_disks: [
          { size_gb: 100, raid_level: '1', is_root_volume: true },
          { size_gb: 'MAX', raid_level: '5', interface_type: 'sata' },
        ],
      }),
    ).not.toThrow();
  });

  it('refuses what the schema refuses, and SCSI logical disks as Ironic does', () => {
    expect(() => raid.validateRaidConfig(task(), { logical_disks: [] })).toThrow(
      InvalidParameterValue,
    );
    expect(() =>
      raid.validateRaidConfig(task(), {
        logical_disks: [{ size_gb: 100, raid_level: '1', interface_type: 'scsi' }],
      }),
    ).toThrow('interface type `scsi` not supported by Redfish RAID');
  });

  it("declares Ironic's manual clean steps, which say plainly they are not supported", async () => {
    expect(stepsOf(raid, 'clean').map((s) => [s.name, s.priority])).toEqual([
      ['create_configuration', 0],
      ['delete_configuration', 0],
    ]);
    for (const attempt of [
      raid.create_configuration(task(), {}),
      raid.delete_configuration(task(), {}),
    ]) {
      const error = await failure(attempt);
      expect(error).toBeInstanceOf(UnsupportedDriverExtension);
      expect(error.message).toMatch(/^Driver redfish does not support RAID \w+_configuration/);
    }
  });
});
