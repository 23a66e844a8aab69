import { GenericHardware } from '@galvanic/driver-sdk';

/** Acme servers: Acme power, management and vendor extras; the rest comes from GenericHardware. */
export class AcmeHardware extends GenericHardware {
  get supportedPowerInterfaces(): readonly string[] {
    return ['acme'];
  }

  get supportedManagementInterfaces(): readonly string[] {
    return ['acme'];
  }

  override get supportedVendorInterfaces(): readonly string[] {
    return ['acme', ...super.supportedVendorInterfaces];
  }
}
