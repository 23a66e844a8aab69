/**
 * What the driver remembers about boot devices in driver_internal_info. The keys of
 * ipmi_force_boot_device are Ironic's, so nodes moved from Ironic keep their setting.
 */
import type { BootDevice, NodeView } from '@galvanic/driver-sdk';
import { SUPPORTED_BOOT_DEVICES } from './boot-device';

const PERSISTENT_BOOT_DEVICE = 'persistent_boot_device';
const IS_NEXT_BOOT_PERSISTENT = 'is_next_boot_persistent';
const LAST_BOOT_DEVICE = 'ipmi_last_boot_device';

export interface BootSetting {
  readonly device: BootDevice;
  readonly persistent: boolean;
}

function bootDevice(value: unknown): BootDevice | undefined {
  return SUPPORTED_BOOT_DEVICES.find((known) => known === value);
}

/** Records a boot device just sent to the BMC. */
export function recordBootDevice(node: NodeView, setting: BootSetting, forced: boolean): void {
  const info = node.driverInternalInfo;
  info[LAST_BOOT_DEVICE] = { device: setting.device, persistent: setting.persistent };
  if (!forced) return;
  if (setting.persistent) {
    info[PERSISTENT_BOOT_DEVICE] = setting.device;
    delete info[IS_NEXT_BOOT_PERSISTENT];
  } else {
    info[IS_NEXT_BOOT_PERSISTENT] = false;
  }
}

/** The last boot device this driver set, if any. */
export function lastBootDevice(node: NodeView): BootSetting | undefined {
  const last = node.driverInternalInfo[LAST_BOOT_DEVICE];
  if (typeof last !== 'object' || last === null) return undefined;
  const { device, persistent } = last as Record<string, unknown>;
  const known = bootDevice(device);
  return known && typeof persistent === 'boolean' ? { device: known, persistent } : undefined;
}

/** With ipmi_force_boot_device: the persistent device, unless a one-time device is pending. */
export function forcedBootDevice(node: NodeView): BootDevice | undefined {
  if (node.driverInternalInfo[IS_NEXT_BOOT_PERSISTENT] === false) return undefined;
  return bootDevice(node.driverInternalInfo[PERSISTENT_BOOT_DEVICE]);
}

/**
 * With ipmi_force_boot_device, before a power on: the device to send the BMC again, or undefined
 * when a one-time device is pending (it is on the BMC already; this power on consumes it).
 */
export function takeNextBootDevice(node: NodeView): BootDevice | undefined {
  const info = node.driverInternalInfo;
  if (info[IS_NEXT_BOOT_PERSISTENT] === false) {
    delete info[IS_NEXT_BOOT_PERSISTENT];
    return undefined;
  }
  return bootDevice(info[PERSISTENT_BOOT_DEVICE]);
}
