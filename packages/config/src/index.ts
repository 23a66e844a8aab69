export {
  defineOptionGroup,
  opt,
  type OptionSpec,
  type OptionGroup,
  type OptionGroupSpec,
  type GroupValues,
} from './options';
export { readConfigFile, readEnvironment, type RawConfig } from './sources';
export {
  ConfigError,
  findConfigFile,
  readSources,
  resolveGroup,
  checkForUnknownOptions,
  type ConfigSources,
} from './load';
export {
  defaultOptions,
  apiOptions,
  conductorOptions,
  databaseOptions,
  rpcOptions,
  sslOptions,
  keystoneAuthtokenOptions,
  osloPolicyOptions,
  osloMessagingRabbitOptions,
  deployOptions,
  coreOptionGroups,
} from './groups';
export { readRpcMessageKey, type RpcKeyOptions } from './rpc-key';
export { resolveCoreConfig, type CoreConfig } from './core';
export { maskUrlPassword } from './mask';
export { INTERFACE_KINDS, type InterfaceKind } from './interface-kinds';
