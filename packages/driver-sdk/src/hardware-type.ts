import type { InterfaceKind } from './kinds.js';

/**
 * A hardware type: for each interface kind, the implementations it supports, most preferred
 * first, by the names they are declared under. Subclasses override the lists they change;
 * `super.supportedX` extends the parent's list.
 */
export abstract class HardwareType {
  abstract get supportedPowerInterfaces(): readonly string[];
  abstract get supportedManagementInterfaces(): readonly string[];
  abstract get supportedBootInterfaces(): readonly string[];
  abstract get supportedDeployInterfaces(): readonly string[];
  get supportedBiosInterfaces(): readonly string[] {
    return ['no-bios'];
  }
  get supportedConsoleInterfaces(): readonly string[] {
    return ['no-console'];
  }
  get supportedFirmwareInterfaces(): readonly string[] {
    return ['no-firmware'];
  }
  get supportedInspectInterfaces(): readonly string[] {
    return ['no-inspect'];
  }
  get supportedNetworkInterfaces(): readonly string[] {
    return ['noop'];
  }
  get supportedRaidInterfaces(): readonly string[] {
    return ['no-raid'];
  }
  get supportedRescueInterfaces(): readonly string[] {
    return ['no-rescue'];
  }
  get supportedStorageInterfaces(): readonly string[] {
    return ['noop'];
  }
  get supportedVendorInterfaces(): readonly string[] {
    return ['no-vendor'];
  }

  /** The supported implementations of one kind, most preferred first. */
  supportedInterfaces(kind: InterfaceKind): readonly string[] {
    switch (kind) {
      case 'bios':
        return this.supportedBiosInterfaces;
      case 'boot':
        return this.supportedBootInterfaces;
      case 'console':
        return this.supportedConsoleInterfaces;
      case 'deploy':
        return this.supportedDeployInterfaces;
      case 'firmware':
        return this.supportedFirmwareInterfaces;
      case 'inspect':
        return this.supportedInspectInterfaces;
      case 'management':
        return this.supportedManagementInterfaces;
      case 'network':
        return this.supportedNetworkInterfaces;
      case 'power':
        return this.supportedPowerInterfaces;
      case 'raid':
        return this.supportedRaidInterfaces;
      case 'rescue':
        return this.supportedRescueInterfaces;
      case 'storage':
        return this.supportedStorageInterfaces;
      case 'vendor':
        return this.supportedVendorInterfaces;
    }
  }
}

/**
 * The generic base most hardware types extend: PXE and iPXE boot, the direct (agent) and ramdisk
 * deploys, agent inspection, and the `no-*` implementations of the optional kinds. A type that extends it names only its power and
 * management interfaces (and whatever else it adds).
 */
export abstract class GenericHardware extends HardwareType {
  /** Ironic lists `ipxe` first; `pxe` stays the default here so existing nodes keep theirs. */
  get supportedBootInterfaces(): readonly string[] {
    return ['pxe', 'ipxe'];
  }
  get supportedDeployInterfaces(): readonly string[] {
    return ['direct', 'ramdisk'];
  }
  override get supportedInspectInterfaces(): readonly string[] {
    return ['no-inspect', 'agent'];
  }
}
