import { describe, expect, it } from 'vitest';
import { supportedInterfacesOf } from '@galvanic/driver-sdk/testing';
import { ManualManagementHardware } from '../src';

describe('ManualManagementHardware', () => {
  it("supports what Ironic's manual-management supports, most preferred first", () => {
    const type = new ManualManagementHardware();
    expect(supportedInterfacesOf(type)).toEqual({
      bios: ['no-bios'],
      boot: ['pxe', 'ipxe'],
      console: ['no-console'],
      deploy: ['direct', 'ramdisk'],
      firmware: ['no-firmware'],
      inspect: ['no-inspect', 'agent'],
      management: ['noop', 'fake'],
      network: ['noop'],
      power: ['fake'],
      raid: ['no-raid'],
      rescue: ['no-rescue'],
      storage: ['noop'],
      vendor: ['no-vendor'],
    });
  });
});
