export { ManualManagementHardware } from './manual-management';
export { PxeBoot } from './pxe/boot';
export { IpxeBoot } from './ipxe/boot';
export { renderEntryScript, renderKernelScript, macScriptPath } from './ipxe/scripts';
export { dhcpOptions, dnsmasqOptions } from './dhcp/options';
export { renderHostEntry, renderNodeOptions } from './dhcp/providers';
export { expectedChecksum, type ExpectedChecksum } from './http-boot/checksum';
export { cachedImage, imageCacheDir } from './http-boot/image-cache';
export {
  httpUrlOf,
  nodeDirectory,
  publishNodeFile,
  removeNodeFiles,
  writeWhole,
} from './http-boot/node-files';
export {
  httpBootSettings,
  instanceAppendParams,
  publishKernel,
  type KernelBootSpec,
  type PublishedKernel,
} from './http-boot/images';
export { pxeOptions } from './pxe/options';
export { pxeConfigPath, renderPxeConfig, type PxeBootSpec } from './pxe/config-files';
export { RamdiskDeploy } from './ramdisk-deploy';
export { DirectDeploy } from './direct-deploy';
export { AgentInspect, propertiesFromInventory } from './agent-inspect';
export { AgentRescue } from './agent-rescue';
export { AgentClient, type AgentCommandStatus } from './agent/client';
export { agentOptions } from './agent/options';
export {
  NoBios,
  NoConsole,
  NoFirmware,
  NoInspect,
  NoRaid,
  NoRescue,
  NoVendor,
} from './no-interfaces';
export { NoopManagement, NoopNetwork, NoopStorage } from './noop-interfaces';
export {
  buildBootIso,
  renderIsolinuxConfig,
  renderGrubConfig,
  EFI_BOOT_IMAGE,
  type BootIsoSpec,
} from './iso/boot-iso';
