/** Boot devices as Ironic names them (its `boot_devices` module). */
export const BOOT_DEVICES = [
  'pxe',
  'disk',
  'cdrom',
  'bios',
  'safe',
  'wanboot',
  'uefi http',
  'usb',
  'floppy',
] as const;

export type BootDevice = (typeof BOOT_DEVICES)[number];

const DEVICES: ReadonlySet<string> = new Set(BOOT_DEVICES);

export function isBootDevice(value: unknown): value is BootDevice {
  return typeof value === 'string' && DEVICES.has(value);
}

/** Boot modes as Ironic names them (its `boot_modes` module: UEFI and LEGACY_BIOS). */
export const BOOT_MODES = ['uefi', 'bios'] as const;

export type BootMode = (typeof BOOT_MODES)[number];

const MODES: ReadonlySet<string> = new Set(BOOT_MODES);

export function isBootMode(value: unknown): value is BootMode {
  return typeof value === 'string' && MODES.has(value);
}
