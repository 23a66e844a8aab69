import { GenericHardware } from '@galvanic/driver-sdk';

/**
 * Ironic's `ipmi` hardware type. Its interfaces keep Ironic's name `ipmitool` so existing node
 * records work, though no ipmitool process is involved.
 */
export class IpmiHardware extends GenericHardware {
  get supportedPowerInterfaces(): readonly string[] {
    return ['ipmitool'];
  }

  get supportedManagementInterfaces(): readonly string[] {
    return ['ipmitool', 'noop'];
  }

  override get supportedVendorInterfaces(): readonly string[] {
    return ['ipmitool', ...super.supportedVendorInterfaces];
  }

  override get supportedConsoleInterfaces(): readonly string[] {
    return ['no-console'];
  }

  /** As Ironic's generic hardware: rescue through the agent of a rescue ramdisk. */
  override get supportedRescueInterfaces(): readonly string[] {
    return [...super.supportedRescueInterfaces, 'agent'];
  }
}
