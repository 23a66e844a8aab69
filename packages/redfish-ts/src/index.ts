export { RedfishClient, RedfishSystem } from './client';
export type { RedfishClientOptions } from './client';
export { RedfishClientCache } from './cache';
export type { RedfishClientCacheOptions } from './cache';
export type { AuthType } from './auth';
export type { RedfishResponse, RequestOptions } from './connection';
export type { ActionOptions, ActionResult, BootOverride, InsertMediaOptions } from './actions';
export type { PatchOptions } from './navigation';
export type { TaskOutcome, TaskWaitOptions } from './tasks';
export type { DiskInfo, NetworkInterfaceInfo, SystemInventory } from './inventory';
export type { CreatedSubscription, SubscriptionRequest } from './events';
export type { HttpMethod, VerifyCa } from './pool';
export { RedfishPools } from './pool';
export { parseRetryAfter } from './transport';
export type { RedfishLogger, RedfishStats } from './stats';
export {
  RedfishError,
  RedfishAuthError,
  RedfishConnectionError,
  RedfishTlsError,
  RedfishTimeout,
  RedfishTaskError,
  RedfishUnsupportedError,
  RedfishProtocolError,
} from './errors';
export type { RedfishErrorOptions, RedfishMessage } from './errors';
export type * from './resources';
