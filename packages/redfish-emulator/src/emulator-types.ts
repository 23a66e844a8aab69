/** The emulator's public shapes: its options, the handle it returns, a System's handle. */
import type { AuthOptions, Credentials } from './auth';
import type {
  BootOverride,
  IndicatorLed,
  MediaState,
  PowerState,
  SystemBackend,
  SystemInventory,
} from './backend/types';
import type { BiosSnapshot } from './bios-state';
import type { FaultInjector } from './faults';
import type { AsyncActionName } from './model';
import type { LoggedRequest } from './request-log';
import type { SecureBootSnapshot } from './secure-boot-state';
import type { SubscriptionRecord } from './subscriptions';
import type { TaskState } from './tasks';
import type { TlsMaterial } from './tls';

export const DEFAULT_USERNAME = 'admin';
export const DEFAULT_PASSWORD = 'password';

export interface SystemSpec {
  /** The System's Id in its URI (default: its 1-based position). */
  readonly id?: string;
  /** Overrides parts of the default inventory. */
  readonly inventory?: Partial<SystemInventory>;
  /** Power state of the default in-memory backend at start (default Off). */
  readonly powerState?: 'On' | 'Off';
  /** A backend for this System instead of the in-memory simulation. */
  readonly backend?: SystemBackend;
}

export interface AsyncActionOptions {
  /** Actions answered 202 with a task monitor. */
  readonly actions: readonly AsyncActionName[];
  /** How long each such task runs before its work is done (default 1000 ms). */
  readonly durationMs?: number;
  /** `Retry-After` sent with 202s (default 1; 0 sends none). */
  readonly retryAfterSeconds?: number;
  /**
   * Status of a GET on a running Task's own URI (default 202, as iDRAC answers and sushy
   * expects, since sushy polls that URI; 200 as on other BMCs).
   */
  readonly runningTaskStatus?: 200 | 202;
}

export interface RedfishEmulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** How many Systems, or one spec each (default 1). */
  readonly systems?: number | readonly SystemSpec[];
  /**
   * Systems take their default inventory (UUID, serial numbers, MACs) from this index on, so
   * Systems of several emulators stay distinct (default 0).
   */
  readonly inventoryIndexBase?: number;
  /**
   * Makes the backend of Systems whose spec names none (default: in-memory simulation); `index`
   * counts from `inventoryIndexBase`.
   */
  readonly backendFactory?: (index: number, inventory: SystemInventory) => SystemBackend;
  /** `true`: HTTPS with a CA and server certificate generated for this run; or bring your own. */
  readonly tls?: boolean | TlsMaterial;
  /** The account (default admin / password) and whether basic auth is accepted (default yes). */
  readonly auth?: AuthOptions;
  /** SessionService.SessionTimeout in seconds (default 1800). */
  readonly sessionTimeoutSeconds?: number;
  /** One Manager per System (default) or one shared by all. */
  readonly managers?: 'per-system' | 'shared';
  /** Page size of every collection (default: no paging). */
  readonly pageSize?: number;
  /** PATCH without If-Match is a 428 PreconditionRequired (default false). */
  readonly requireIfMatch?: boolean;
  /**
   * Show ETags weak, `W/"…"`, as some BMCs do; If-Match compares strongly, so a client must send
   * the strong form `"…"` (default false).
   */
  readonly weakEtags?: boolean;
  /**
   * `'actions'` (default): InsertMedia/EjectMedia actions. `'patch'`: as on some older BMCs, no
   * actions; Image, Inserted and WriteProtected are PATCHed (Image null ejects).
   */
  readonly virtualMedia?: 'actions' | 'patch';
  readonly asyncActions?: AsyncActionOptions;
  /** Initial `faults.powerTransitionMs` (default 0). */
  readonly powerTransitionMs?: number;
  /** Random source for fractional faults (default Math.random). */
  readonly random?: () => number;
  /** Told about unexpected handler failures. */
  readonly onInternalError?: (error: unknown) => void;
}

export interface SystemStateSnapshot {
  readonly powerState: PowerState;
  readonly bootOverride: BootOverride;
  readonly indicatorLed: IndicatorLed;
  readonly media: Readonly<Record<string, MediaState>>;
  readonly bios: BiosSnapshot;
  readonly secureBoot: SecureBootSnapshot;
  readonly firmware: {
    readonly bios: string;
    /** Flashed at the next boot. */
    readonly pendingBios: string | undefined;
    readonly bmc: string;
  };
}

/** One emulated System, for tests: where it is and what state it is in, without HTTP. */
export interface EmulatedSystemHandle {
  readonly id: string;
  /** e.g. `/redfish/v1/Systems/1` — what Ironic calls `redfish_system_id`. */
  readonly path: string;
  readonly managerPath: string;
  readonly uuid: string;
  readonly macAddresses: readonly string[];
  readonly backend: SystemBackend;
  state(): SystemStateSnapshot;
}

export interface SessionInfo {
  readonly id: string;
  readonly userName: string;
  readonly createdTime: string;
}

export interface TaskInfo {
  readonly id: string;
  readonly name: string;
  readonly state: TaskState;
  readonly percentComplete: number;
}

export interface RedfishEmulator {
  /** e.g. `https://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly credentials: Credentials;
  /** The generated (or given) CA certificate, with TLS on. */
  readonly caPem: string | undefined;
  /** A file holding `caPem` (generated, or given with the material), for `redfish_verify_ca`. */
  readonly caPath: string | undefined;
  readonly systems: readonly EmulatedSystemHandle[];
  readonly faults: FaultInjector;
  system(id: string): EmulatedSystemHandle;
  sessions(): SessionInfo[];
  subscriptions(): SubscriptionRecord[];
  /** Events sent to subscribers by SubmitTestEvent so far, and failed sends. */
  eventDeliveries(): { readonly delivered: number; readonly failed: number };
  tasks(): TaskInfo[];
  /** The last 1000 requests answered (method, URL, auth kind, If-Match, status), oldest first. */
  requests(): LoggedRequest[];
  clearRequests(): void;
  /** Stops the server (dropping open connections), timers and backends; removes temp files. */
  close(): Promise<void>;
}
