export { createDataSource, migrate, type DatabaseOptions } from './data-source';
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
} from './conductors';
export { allMigrations } from './migrations';
