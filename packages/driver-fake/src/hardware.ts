import { GenericHardware } from '@galvanic/driver-sdk';

/**
 * `fake-hardware`: Ironic's hardware type for testing the service without real machines. Each
 * list names the fake implementation first except storage and network, whose default for this
 * type in Ironic is `noop`; `fake` network is there for tests that want its delay.
 */
export class FakeHardware extends GenericHardware {
  override get supportedBiosInterfaces(): readonly string[] {
    return ['fake', 'no-bios'];
  }
  override get supportedBootInterfaces(): readonly string[] {
    return ['fake', 'pxe'];
  }
  override get supportedConsoleInterfaces(): readonly string[] {
    return ['fake', 'no-console'];
  }
  override get supportedDeployInterfaces(): readonly string[] {
    return ['fake', 'direct', 'ramdisk'];
  }
  override get supportedFirmwareInterfaces(): readonly string[] {
    return ['fake', 'no-firmware'];
  }
  override get supportedInspectInterfaces(): readonly string[] {
    return ['fake', 'no-inspect', 'agent'];
  }
  override get supportedManagementInterfaces(): readonly string[] {
    return ['fake'];
  }
  override get supportedNetworkInterfaces(): readonly string[] {
    return ['noop', 'fake'];
  }
  override get supportedPowerInterfaces(): readonly string[] {
    return ['fake'];
  }
  override get supportedRaidInterfaces(): readonly string[] {
    return ['fake', 'no-raid'];
  }
  override get supportedRescueInterfaces(): readonly string[] {
    return ['fake', 'no-rescue', 'agent'];
  }
  override get supportedStorageInterfaces(): readonly string[] {
    return ['noop', 'fake'];
  }
  override get supportedVendorInterfaces(): readonly string[] {
    return ['fake', 'no-vendor'];
  }
}
