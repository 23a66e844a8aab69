import { GenericHardware } from '@galvanic/driver-sdk';

/**
 * Ironic's `redfish` hardware type, with Ironic's interface names so node records made for
 * Ironic work unchanged. Boot prefers `redfish-virtual-media`, as Ironic's newer releases do;
 * `pxe` stays available.
 */
export class RedfishHardware extends GenericHardware {
  get supportedPowerInterfaces(): readonly string[] {
    return ['redfish'];
  }

  get supportedManagementInterfaces(): readonly string[] {
    return ['redfish', 'noop'];
  }

  override get supportedBootInterfaces(): readonly string[] {
    return ['redfish-virtual-media', ...super.supportedBootInterfaces];
  }

  override get supportedBiosInterfaces(): readonly string[] {
    return ['redfish', ...super.supportedBiosInterfaces];
  }

  override get supportedInspectInterfaces(): readonly string[] {
    return ['redfish', ...super.supportedInspectInterfaces];
  }

  override get supportedVendorInterfaces(): readonly string[] {
    return ['redfish', ...super.supportedVendorInterfaces];
  }
}
