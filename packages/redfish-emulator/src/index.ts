/**
 * A Redfish BMC emulator: service root, Systems (power, boot override, BIOS, inventory),
 * Managers with virtual media, Chassis, sessions, events, tasks; over HTTP or HTTPS; with fault
 * injection and a pluggable System backend.
 */
export {
  startRedfishEmulator,
  DEFAULT_USERNAME,
  DEFAULT_PASSWORD,
  type RedfishEmulator,
  type RedfishEmulatorOptions,
  type SystemSpec,
  type AsyncActionOptions,
  type EmulatedSystemHandle,
  type SystemStateSnapshot,
  type SessionInfo,
  type TaskInfo,
} from './emulator';
export type { AuthOptions, Credentials } from './auth';
export type { AsyncActionName } from './model';
export {
  FaultInjector,
  type FaultScope,
  type ServerErrorOptions,
  type FaultCounts,
} from './faults';
export type { TlsMaterial } from './tls';
export type { BiosSnapshot, BiosValue } from './bios-state';
export type { SecureBootSnapshot, SecureBootMode, ResetKeysType } from './secure-boot-state';
export type { SubscriptionRecord } from './subscriptions';
export type { TaskState } from './tasks';
export type { LoggedRequest, RequestAuthKind } from './request-log';
export {
  SystemBackendError,
  type SystemBackend,
  type SystemInventory,
  type PowerState,
  type ResetType,
  type BootOverride,
  type BootSourceTarget,
  type BootSourceOverrideEnabled,
  type BootSourceOverrideMode,
  type IndicatorLed,
  type VirtualMediaSlot,
  type VirtualMediaType,
  type InsertMediaRequest,
  type MediaState,
  type TransferProtocolType,
  type TransferMethod,
  type ProcessorInfo,
  type MemoryInfo,
  type EthernetInterfaceInfo,
  type DiskInfo,
} from './backend/types';
export {
  MemorySystemBackend,
  DEFAULT_MEDIA_SLOTS,
  type MemoryBackendOptions,
  type MemoryBackendHistory,
} from './backend/memory';
export { defaultInventory, macAddressFor, uuidFor } from './backend/inventory';
export { BASE_REGISTRY_VERSION, type RedfishErrorBody, type RedfishMessage } from './errors';
export { QemuSystemBackend, type QemuBackendOptions } from './backend/qemu';
export {
  qemuArguments,
  shellQuote,
  QEMU_BINARY,
  QEMU_HOST_ADDRESS,
  type QemuMachineSpec,
  type QemuBootDevice,
} from './qemu/command';
export { QemuVm, qemuAvailable, type QemuVmOptions } from './qemu/vm';
