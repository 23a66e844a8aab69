export { findDriverPackage, importDriverPackage, type DriverPackage } from './discover';
export {
  buildCatalog,
  type DriverCatalog,
  type CatalogEntry,
  type InterfaceClass,
  type HardwareTypeClass,
} from './catalog';
export { selectionFromConfig, type DriverSelection } from './selection';
export { defaultInterface } from './defaults';
export {
  DriverRegistry,
  loadDrivers,
  type LoadedHardwareType,
  type EnabledInterfaceRow,
  type ListedStep,
  type ListedStepKind,
  type LoadOptions,
} from './registry';
export {
  BUILTIN_DRIVER_PACKAGES,
  discoverDrivers,
  availableDrivers,
  type AvailableDriver,
} from './available';
