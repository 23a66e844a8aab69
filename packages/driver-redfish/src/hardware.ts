import { GenericHardware } from '@galvanic/driver-sdk';

/**
 * Ironic's `redfish` hardware type, with Ironic's interface names so node records made for
 * Ironic work unchanged. As in Ironic, virtual media boot comes after network boot: fewer BMCs
 * do it well, so a node uses it when its boot_interface says so.
 */
export class RedfishHardware extends GenericHardware {
  get supportedPowerInterfaces(): readonly string[] {
    return ['redfish'];
  }

  get supportedManagementInterfaces(): readonly string[] {
    return ['redfish', 'noop'];
  }

  override get supportedBootInterfaces(): readonly string[] {
    return [...super.supportedBootInterfaces, 'redfish-virtual-media'];
  }

  override get supportedBiosInterfaces(): readonly string[] {
    return ['redfish', ...super.supportedBiosInterfaces];
  }

  override get supportedFirmwareInterfaces(): readonly string[] {
    return ['redfish', ...super.supportedFirmwareInterfaces];
  }

  override get supportedRaidInterfaces(): readonly string[] {
    return ['redfish', ...super.supportedRaidInterfaces];
  }

  override get supportedInspectInterfaces(): readonly string[] {
    return ['redfish', ...super.supportedInspectInterfaces];
  }

  override get supportedVendorInterfaces(): readonly string[] {
    return ['redfish', ...super.supportedVendorInterfaces];
  }

  /** As Ironic's generic hardware: rescue through the agent of a rescue ramdisk. */
  override get supportedRescueInterfaces(): readonly string[] {
    return [...super.supportedRescueInterfaces, 'agent'];
  }
}
