import { describe, expect, it } from 'vitest';
import { supportedInterfacesOf } from '@galvanic/driver-sdk/testing';
import { FakeHardware } from '../src';

describe('FakeHardware', () => {
  it("supports what Ironic's fake-hardware supports, most preferred first", () => {
    const type = new FakeHardware();
    const lists = supportedInterfacesOf(type);
    expect(lists).toEqual({
      bios: ['fake', 'no-bios'],
      boot: ['fake', 'pxe'],
      console: ['fake', 'no-console'],
      deploy: ['fake', 'direct', 'ramdisk'],
      firmware: ['fake', 'no-firmware'],
      inspect: ['fake', 'no-inspect', 'agent'],
      management: ['fake'],
      network: ['noop', 'fake'],
      power: ['fake'],
      raid: ['fake', 'no-raid'],
      rescue: ['fake', 'no-rescue', 'agent'],
      storage: ['noop', 'fake'],
      vendor: ['fake', 'no-vendor'],
    });
  });
});
