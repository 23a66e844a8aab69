/** The interface kinds live in the driver SDK; `enabled_<kind>_interfaces` options use them. */
export { INTERFACE_KINDS, type InterfaceKind } from '@galvanic/driver-sdk';
