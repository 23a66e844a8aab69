import { defineOptionGroup, opt } from '@galvanic/driver-sdk';

/** The kinds whose fake implementation waits, each for its own `[fake] <kind>_delay`. */
export type FakeDelayKind =
  | 'bios'
  | 'boot'
  | 'console'
  | 'deploy'
  | 'firmware'
  | 'inspect'
  | 'management'
  | 'network'
  | 'power'
  | 'raid'
  | 'rescue'
  | 'storage'
  | 'vendor';

function delay(kind: FakeDelayKind) {
  return opt.number(
    0,
    `Delay in seconds for operations with the fake ${kind} interface. The node stays locked meanwhile.`,
    { min: 0 },
  );
}

/** `[fake]`: Ironic's options of the same names. */
export const fakeOptions = defineOptionGroup('fake', {
  bios_delay: delay('bios'),
  boot_delay: delay('boot'),
  console_delay: delay('console'),
  deploy_delay: delay('deploy'),
  firmware_delay: delay('firmware'),
  inspect_delay: delay('inspect'),
  management_delay: delay('management'),
  network_delay: delay('network'),
  power_delay: delay('power'),
  raid_delay: delay('raid'),
  rescue_delay: delay('rescue'),
  storage_delay: delay('storage'),
  vendor_delay: delay('vendor'),
});
