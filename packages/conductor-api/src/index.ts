export { CONDUCTOR_CONTRACT_VERSION } from './version';
export {
  driverPropertiesMethod,
  driverVendorMethodsMethod,
  PASSTHRU_HTTP_METHODS,
  type DriverArgs,
  type PassthruMethodListing,
} from './drivers';
export {
  updateNodeMethod,
  destroyNodeMethod,
  changePowerStateMethod,
  setBootDeviceMethod,
  getBootDeviceMethod,
  getSupportedBootDevicesMethod,
  setBootModeMethod,
  injectNmiMethod,
  validateNodeMethod,
  provisionMethod,
  type NodeRef,
  UPDATABLE_NODE_FIELDS,
  type UpdatableNodeField,
  type NodeUpdate,
  type UpdateNodeArgs,
  type PowerArgs,
  type BootDeviceArgs,
  type BootDeviceState,
  type BootModeArgs,
  type ValidationResult,
  type ProvisionArgs,
} from './nodes';
export {
  nodeVendorMethodsMethod,
  nodeVendorPassthruMethod,
  driverVendorPassthruMethod,
  type PassthruOutcome,
  type PassthruCall,
  type NodeVendorCall,
} from './vendor';
