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

/** Hardware components that carry indicators, as Ironic names them (its `components` module). */
export const INDICATOR_COMPONENTS = ['system', 'chassis', 'disk', 'power', 'nic'] as const;

export type IndicatorComponent = (typeof INDICATOR_COMPONENTS)[number];

/** Indicator states as Ironic names them (its `indicator_states` module). */
export const INDICATOR_STATES = ['OFF', 'ON', 'BLINKING', 'UNKNOWN'] as const;

export type IndicatorState = (typeof INDICATOR_STATES)[number];

const COMPONENTS: ReadonlySet<string> = new Set(INDICATOR_COMPONENTS);
const INDICATOR_STATE_SET: ReadonlySet<string> = new Set(INDICATOR_STATES);

export function isIndicatorComponent(value: unknown): value is IndicatorComponent {
  return typeof value === 'string' && COMPONENTS.has(value);
}

export function isIndicatorState(value: unknown): value is IndicatorState {
  return typeof value === 'string' && INDICATOR_STATE_SET.has(value);
}
