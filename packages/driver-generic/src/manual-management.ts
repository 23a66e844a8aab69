import { GenericHardware } from '@galvanic/driver-sdk';

/**
 * `manual-management`: machines an operator powers and sets to boot from the network by hand.
 * Power is `fake` on purpose: Galvanic records the state it asked for and trusts the operator.
 */
export class ManualManagementHardware extends GenericHardware {
  override get supportedManagementInterfaces(): readonly string[] {
    return ['noop', 'fake'];
  }
  override get supportedPowerInterfaces(): readonly string[] {
    return ['fake'];
  }
  override get supportedVendorInterfaces(): readonly string[] {
    return ['no-vendor'];
  }
}
