/**
 * The kinds of hardware interface a driver is composed of, as Ironic names them. Galvanic's
 * configuration (`enabled_<kind>_interfaces`) imports the list from here.
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

export function isInterfaceKind(value: string): value is InterfaceKind {
  return (INTERFACE_KINDS as readonly string[]).includes(value);
}
