export {
  createDataSource,
  migrate,
  pingDatabase,
  poolOf,
  type DatabaseOptions,
} from './data-source';
export {
  ConductorEntity,
  ConductorHardwareInterfaceEntity,
  type ConductorRow,
  type ConductorHardwareInterfaceRow,
} from './entities';
export {
  ConductorStore,
  type ConductorRecord,
  type ConductorRegistration,
  type EnabledInterface,
  type HeartbeatOutcome,
} from './conductors';
export { allMigrations } from './migrations';
export {
  NodeStore,
  heldLockFence,
  type NodeStoreOptions,
  NODE_SORT_KEYS,
  type NodeRow,
  type NodeFields,
  type NodeFilters,
  type NodeListQuery,
  type NodeVersion,
  type NodeSortKey,
  type SqlFence,
  type NodePortRow,
  type NodeWithPorts,
  type PowerSyncCandidate,
  type UnlockedNode,
} from './nodes';
export {
  PortStore,
  PORT_SORT_KEYS,
  type PortRow,
  type PortFields,
  type PortFilters,
  type PortListQuery,
  type PortSortKey,
} from './ports';
export {
  PortgroupStore,
  PORTGROUP_SORT_KEYS,
  type PortgroupRow,
  type PortgroupFields,
  type PortgroupFilters,
  type PortgroupDeletion,
} from './portgroups';
export {
  VolumeConnectorStore,
  VolumeTargetStore,
  VOLUME_CONNECTOR_SORT_KEYS,
  VOLUME_TARGET_SORT_KEYS,
  type VolumeConnectorRow,
  type VolumeConnectorFields,
  type VolumeTargetRow,
  type VolumeTargetFields,
  type VolumeWriteOutcome,
  type VolumeListQuery,
} from './volume';
export {
  ChassisStore,
  CHASSIS_SORT_KEYS,
  type ChassisRow,
  type ChassisFields,
  type ChassisListQuery,
  type ChassisSortKey,
  type ChassisDeletion,
} from './chassis';
export { BiosSettingStore, type BiosSettingRow, type BiosSettingInput } from './bios-settings';
export {
  NodeHistoryStore,
  NODE_HISTORY_MAX_ENTRIES,
  type NodeHistoryRow,
  type NodeHistoryInput,
  type NodeHistoryPage,
} from './node-history';
export { VifStore, TENANT_VIF_KEY, type VifCarrier } from './vifs';
export {
  FirmwareComponentStore,
  type FirmwareComponentRow,
  type FirmwareComponentInput,
} from './firmware-components';
export {
  AllocationStore,
  ALLOCATION_SORT_KEYS,
  type AllocationRow,
  type AllocationState,
  type AllocationFilters,
  type AllocationListQuery,
  type AllocationCandidate,
  type NewAllocation,
  type ReserveOutcome,
} from './allocations';
export {
  DeployTemplateStore,
  DEPLOY_TEMPLATE_SORT_KEYS,
  type DeployTemplateRow,
  type DeployTemplateStep,
  type DeployTemplateFields,
  type DeployTemplateListQuery,
} from './deploy-templates';
export { NodeInventoryStore, type NodeInventoryRow } from './node-inventory';
export {
  RunbookStore,
  RUNBOOK_SORT_KEYS,
  type RunbookRow,
  type RunbookStep,
  type RunbookFields,
  type RunbookListQuery,
} from './runbooks';
export {
  InspectionRuleStore,
  INSPECTION_RULE_SORT_KEYS,
  type InspectionRuleRow,
  type InspectionRuleOperation,
  type InspectionRuleFields,
  type InspectionRuleListQuery,
} from './inspection-rules';
