import { INTERFACE_KINDS, type InterfaceKind } from '@galvanic/config';

export { INTERFACE_KINDS, type InterfaceKind };

export function isInterfaceKind(value: string): value is InterfaceKind {
  return (INTERFACE_KINDS as readonly string[]).includes(value);
}
