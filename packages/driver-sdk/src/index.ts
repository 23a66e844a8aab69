export { INTERFACE_KINDS, isInterfaceKind, type InterfaceKind } from './kinds';
export {
  describeProperty,
  missingRequiredProperties,
  type PropertySpec,
  type PropertyTable,
} from './properties';
export {
  POWER_ON,
  POWER_OFF,
  REBOOT,
  SOFT_POWER_OFF,
  SOFT_REBOOT,
  type PowerState,
  type BootDevice,
  type BootDeviceState,
  type BootMode,
  type IndicatorComponent,
  type IndicatorInfo,
  type IndicatorState,
  type SupportedIndicators,
  type NodeView,
  type PortView,
} from './node';
export {
  sleepUnlessAborted,
  type TaskContext,
  type DriverView,
  type DriverLogger,
  type DriverEnvironment,
  type ConfigReader,
} from './task';
export { HardwareInterface, REQUIRED_METHODS } from './interfaces/base';
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
} from './interfaces/kinds';
export { HardwareType, GenericHardware } from './hardware-type';
export { validateRaidConfiguration } from './raid/schema';
export {
  passthru,
  driverPassthru,
  deployStep,
  cleanStep,
  passthruMethodsOf,
  stepsOf,
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
} from './decorators';
export { SDK_API_VERSION, checkManifest, type DriverManifest } from './manifest';
export {
  defineOptionGroup,
  opt,
  deployOptions,
  type OptionGroup,
  type OptionGroupSpec,
  type GroupValues,
} from './options';
export * from './errors';
export { interfaceClassProblem, hardwareTypeClassProblem } from './contract';
export { untilAborted } from './abort';
export {
  AGENT_TOKEN_KEY,
  AGENT_URL_KEY,
  AGENT_VERSION_KEY,
  AGENT_VERIFY_CA_KEY,
  AGENT_LAST_HEARTBEAT_KEY,
  forgetAgent,
} from './agent-token';
