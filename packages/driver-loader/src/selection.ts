import type { CoreConfig } from '@galvanic/config';
import { INTERFACE_KINDS, type InterfaceKind } from '@galvanic/driver-sdk';

/** What the operator enabled: hardware types, interface implementations per kind, defaults. */
export interface DriverSelection {
  hardwareTypes: readonly string[];
  interfaces: Readonly<Record<InterfaceKind, readonly string[]>>;
  defaults: Readonly<Partial<Record<InterfaceKind, string>>>;
}

/** Reads the selection from Ironic's `[DEFAULT]` options. */
export function selectionFromConfig(options: CoreConfig['DEFAULT']): DriverSelection {
  const interfaces = {} as Record<InterfaceKind, readonly string[]>;
  const defaults: Partial<Record<InterfaceKind, string>> = {};
  for (const kind of INTERFACE_KINDS) {
    interfaces[kind] = options[`enabled_${kind}_interfaces`];
    const chosen = options[`default_${kind}_interface`];
    if (chosen) defaults[kind] = chosen;
  }
  return { hardwareTypes: options.enabled_hardware_types, interfaces, defaults };
}
