/**
 * The kinds of hardware interface a driver is composed of, as Ironic names them. The list lives
 * here because `enabled_<kind>_interfaces` options exist before any driver loads; the driver SDK
 * re-exports it.
 */
export const INTERFACE_KINDS = [
  'bios',
  'boot',
  'console',
  'deploy',
  'firmware',
  'inspect',
  'management',
  'network',
  'power',
  'raid',
  'rescue',
  'storage',
  'vendor',
] as const;

export type InterfaceKind = (typeof INTERFACE_KINDS)[number];
