export { IpmiClient } from './client';
export type { IpmiClientOptions } from './client';
export { Bmc } from './bmc';
export type { BmcOptions, BmcStats, RawResponse } from './bmc';
export type {
  BootDevice,
  BootDeviceInfo,
  BootDeviceSetting,
  ChassisControlAction,
  ChassisStatus,
  DeviceId,
  PowerRestorePolicy,
} from './commands';
export type { PrivilegeLevel } from './rakp';
export type { V15AuthType } from './session-v15';
export type { IpmiLogger, IpmiStats } from './stats';
export {
  IpmiError,
  IpmiTimeoutError,
  IpmiAuthenticationError,
  IpmiUnsupportedCipherError,
  IpmiCompletionCodeError,
  IpmiSessionError,
  IpmiProtocolError,
  completionCodeMeaning,
  rmcpPlusStatusMeaning,
} from './errors';
export { CIPHER_SUITES } from './crypto';
export type { CipherSuite } from './crypto';
