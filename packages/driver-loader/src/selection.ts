import type { CoreConfig } from '@galvanic/config';
import { INTERFACE_KINDS, type InterfaceKind } from '@galvanic/driver-sdk';

/** What the operator enabled: hardware types, interface implementations per kind, defaults. */
export interface DriverSelection {
  hardwareTypes: readonly string[];
  /** Per kind, the enabled implementations; absent where the operator left it to the hardware types. */
  interfaces: Readonly<Partial<Record<InterfaceKind, readonly string[]>>>;
  defaults: Readonly<Partial<Record<InterfaceKind, string>>>;
}

/** Reads the selection from Ironic's `[DEFAULT]` options. */
export function selectionFromConfig(options: CoreConfig['DEFAULT']): DriverSelection {
  const interfaces: Partial<Record<InterfaceKind, readonly string[]>> = {};
  const defaults: Partial<Record<InterfaceKind, string>> = {};
  for (const kind of INTERFACE_KINDS) {
    const listed = options[`enabled_${kind}_interfaces`];
    if (listed) interfaces[kind] = listed;
    const chosen = options[`default_${kind}_interface`];
    if (chosen) defaults[kind] = chosen;
  }
  return { hardwareTypes: options.enabled_hardware_types, interfaces, defaults };
}
