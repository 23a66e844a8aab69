import type { BootDevice, BootMode, IndicatorComponent, IndicatorState } from './boot-devices.js';

export type { BootDevice, BootMode, IndicatorComponent, IndicatorState };

/** Power states as Ironic names them. */
export type PowerState =
  'power on' | 'power off' | 'rebooting' | 'soft power off' | 'soft rebooting' | 'error';

export const POWER_ON: PowerState = 'power on';
export const POWER_OFF: PowerState = 'power off';
export const REBOOT: PowerState = 'rebooting';
export const SOFT_POWER_OFF: PowerState = 'soft power off';
export const SOFT_REBOOT: PowerState = 'soft rebooting';

/** One indicator a management interface can read (and, unless `readonly`, set). */
export interface IndicatorInfo {
  readonly readonly: boolean;
  readonly states: readonly IndicatorState[];
}

/** The indicators of each hardware component, by indicator name. */
export type SupportedIndicators = Partial<
  Record<IndicatorComponent, Readonly<Record<string, IndicatorInfo>>>
>;

export interface BootDeviceState {
  boot_device: BootDevice | null;
  persistent: boolean | null;
}

/** A network port of the node, as drivers see it. */
export interface PortView {
  readonly uuid: string;
  readonly address: string;
  readonly pxeEnabled: boolean;
}

/**
 * What a driver sees of the node it works on. The `*Info` maps are the node's own fields; a
 * driver may change `driverInternalInfo`, which is saved when the task ends.
 */
export interface NodeView {
  readonly id: number;
  readonly uuid: string;
  readonly name: string | null;
  readonly driver: string;
  readonly driverInfo: Readonly<Record<string, unknown>>;
  driverInternalInfo: Record<string, unknown>;
  readonly instanceInfo: Readonly<Record<string, unknown>>;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly provisionState: string;
  readonly powerState: PowerState | null;
  readonly ports: readonly PortView[];
}
