export { ManualManagementHardware } from './manual-management';
export { PxeBoot } from './pxe/boot';
export { pxeOptions } from './pxe/options';
export { pxeConfigPath, renderPxeConfig, type PxeBootSpec } from './pxe/config-files';
export { RamdiskDeploy } from './ramdisk-deploy';
export { DirectDeploy } from './direct-deploy';
export { AgentInspect, propertiesFromInventory } from './agent-inspect';
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
