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
  getSupportedIndicatorsMethod,
  getIndicatorStateMethod,
  setIndicatorStateMethod,
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
  type IndicatorArgs,
  type SetIndicatorArgs,
  type SupportedIndicatorList,
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
export {
  createAllocationMethod,
  backfillAllocationMethod,
  destroyAllocationMethod,
} from './allocations';
export {
  getVirtualMediaMethod,
  attachVirtualMediaMethod,
  detachVirtualMediaMethod,
  VMEDIA_DEVICE_TYPES,
  VMEDIA_DOWNLOAD_SOURCES,
  type AttachVirtualMediaArgs,
  type DetachVirtualMediaArgs,
} from './vmedia';
