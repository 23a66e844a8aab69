import type { BootDevice, BootMode } from '@galvanic/driver-sdk';
import type { BootSourceOverrideMode, BootSourceOverrideTarget } from 'redfish-ts';

/** Ironic's boot devices and the Redfish BootSourceOverrideTarget each one is. */
export const BOOT_TARGETS: ReadonlyMap<BootDevice, BootSourceOverrideTarget> = new Map<
  BootDevice,
  BootSourceOverrideTarget
>([
  ['pxe', 'Pxe'],
  ['disk', 'Hdd'],
  ['cdrom', 'Cd'],
  ['bios', 'BiosSetup'],
  ['uefi http', 'UefiHttp'],
  ['usb', 'Usb'],
]);

export function bootDeviceOf(target: unknown): BootDevice | null {
  for (const [device, known] of BOOT_TARGETS) if (known === target) return device;
  return null;
}

export type { BootMode };

export const BOOT_MODES: ReadonlyMap<BootMode, BootSourceOverrideMode> = new Map<
  BootMode,
  BootSourceOverrideMode
>([
  ['uefi', 'UEFI'],
  ['bios', 'Legacy'],
]);

export function bootModeOf(mode: unknown): BootMode | null {
  for (const [ironic, redfish] of BOOT_MODES) if (redfish === mode) return ironic;
  return null;
}
