export { INTERFACE_KINDS, isInterfaceKind, type InterfaceKind } from './kinds.js';
export {
  describeProperty,
  missingRequiredProperties,
  type PropertySpec,
  type PropertyTable,
} from './properties.js';
export {
  POWER_ON,
  POWER_OFF,
  REBOOT,
  SOFT_POWER_OFF,
  SOFT_REBOOT,
  type PowerState,
  type BootDeviceState,
  type IndicatorInfo,
  type SupportedIndicators,
  type NodeView,
  type PortView,
} from './node.js';
export {
  BOOT_DEVICES,
  BOOT_MODES,
  INDICATOR_COMPONENTS,
  INDICATOR_STATES,
  isBootDevice,
  isBootMode,
  isIndicatorComponent,
  isIndicatorState,
  type BootDevice,
  type BootMode,
  type IndicatorComponent,
  type IndicatorState,
} from './boot-devices.js';
export {
  sleepUnlessAborted,
  driverView,
  type TaskContext,
  type DriverView,
  type DriverLogger,
  type DriverEnvironment,
  type ConfigReader,
} from './task.js';
export { HardwareInterface, REQUIRED_METHODS } from './interfaces/base.js';
export {
  PowerInterface,
  ManagementInterface,
  BootInterface,
  DeployInterface,
  InspectInterface,
  VendorInterface,
  ConsoleInterface,
  RescueInterface,
  RaidInterface,
  BiosInterface,
  FirmwareInterface,
  StorageInterface,
  NetworkInterface,
  VIRTUAL_MEDIA_DEVICE_TYPES,
  type VirtualMediaDeviceType,
  type VirtualMediaDevice,
  STEP_WAIT,
  isAgentStepsInterface,
  isInventoryInspectInterface,
  type AgentStepsInterface,
  type InventoryInspectInterface,
  type HeartbeatOutcome,
  type PowerOptions,
  type InspectionResult,
  type BiosSetting,
  type InterfaceByKind,
  type FirmwareComponent,
} from './interfaces/kinds.js';
export { HardwareType, GenericHardware } from './hardware-type.js';
export { validateRaidConfiguration } from './raid/schema.js';
export {
  passthru,
  driverPassthru,
  deployStep,
  cleanStep,
  serviceStep,
  passthruMethodsOf,
  stepsOf,
  serviceStepsOf,
  type ServiceStepInfo,
  type PassthruOptions,
  type PassthruMethodInfo,
  type StepOptions,
  type StepInfo,
  type StepKind,
  type HttpMethod,
  type MethodDecorator,
  type NodePassthruMethod,
  type DriverPassthruMethod,
  type StepMethod,
} from './decorators.js';
export { SDK_API_VERSION, checkManifest, type DriverManifest } from './manifest.js';
export {
  defineOptionGroup,
  opt,
  resolveGroup,
  ConfigError,
  type OptionSpec,
  type OptionGroup,
  type OptionGroupSpec,
  type GroupValues,
  type RawConfig,
} from './options.js';
export { deployOptions } from './deploy-options.js';
export {
  GalvanicError,
  errorKind,
  isWireError,
  InvalidParameterValue,
  MissingParameterValue,
  UnsupportedDriverExtension,
  InvalidState,
  InternalError,
  TemporaryFailure,
  ImageDownloadFailed,
  type WireError,
} from './errors.js';
export { interfaceClassProblem, hardwareTypeClassProblem } from './contract.js';
export { untilAborted } from './abort.js';
export {
  AGENT_TOKEN_KEY,
  AGENT_URL_KEY,
  AGENT_VERSION_KEY,
  AGENT_VERIFY_CA_KEY,
  AGENT_LAST_HEARTBEAT_KEY,
  forgetAgent,
} from './agent-token.js';
