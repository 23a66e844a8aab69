/**
 * The emulated BMC's state as the HTTP resources see it: Systems (each a backend plus BIOS
 * settings), their Managers and Chassis, sessions, subscriptions, tasks and settings.
 */
import type { SystemBackend } from './backend/types';
import { BiosState } from './bios-state';
import { SecureBootState } from './secure-boot-state';
import type { FaultInjector } from './faults';
import type { SessionStore } from './sessions';
import type { SubscriptionStore } from './subscriptions';
import type { TaskStore } from './tasks';

/** Actions that can be made long-running (answered 202 with a task monitor). */
export type AsyncActionName =
  | 'ComputerSystem.Reset'
  | 'Bios.ResetBios'
  | 'VirtualMedia.InsertMedia'
  | 'VirtualMedia.EjectMedia';

export interface AsyncActionSettings {
  readonly actions: ReadonlySet<AsyncActionName>;
  readonly durationMs: number;
  readonly retryAfterSeconds: number;
  /** Status of a GET on a running Task resource (the monitor always answers 202). */
  readonly runningTaskStatus: 200 | 202;
}

export interface EmulatorSettings {
  /** Collections list at most this many members per page (undefined: no paging). */
  readonly pageSize: number | undefined;
  /** PATCH without If-Match is a 428. */
  readonly requireIfMatch: boolean;
  /** ETags are shown weak (`W/"…"`); If-Match still wants the strong form. */
  readonly weakEtags: boolean;
  /** VirtualMedia has no Insert/Eject actions; Image and Inserted are PATCHed. */
  readonly virtualMediaByPatch: boolean;
  readonly asyncActions: AsyncActionSettings;
}

export const SYSTEMS_PATH = '/redfish/v1/Systems';
export const MANAGERS_PATH = '/redfish/v1/Managers';
export const CHASSIS_PATH = '/redfish/v1/Chassis';

export class EmulatedSystem {
  readonly id: string;
  readonly index: number;
  readonly backend: SystemBackend;
  readonly bios = new BiosState();
  readonly secureBoot = new SecureBootState();
  readonly path: string;
  readonly chassisPath: string;
  assetTag = '';
  biosVersion: string;
  /** A BIOS image SimpleUpdate delivered, flashed at the next boot. */
  pendingBiosVersion: string | undefined;
  manager!: EmulatedManager;
  readonly #stopListening: () => void;

  constructor(id: string, index: number, backend: SystemBackend) {
    this.id = id;
    this.index = index;
    this.backend = backend;
    this.path = `${SYSTEMS_PATH}/${encodeURIComponent(id)}`;
    this.chassisPath = `${CHASSIS_PATH}/${encodeURIComponent(id)}`;
    this.biosVersion = backend.inventory.biosVersion;
    this.#stopListening = backend.onBoot(() => {
      if (this.pendingBiosVersion !== undefined) {
        this.biosVersion = this.pendingBiosVersion;
        this.pendingBiosVersion = undefined;
      }
      this.bios.applyPending();
      this.secureBoot.booted();
    });
  }

  async close(): Promise<void> {
    this.#stopListening();
    await this.backend.close();
  }
}

export interface EmulatedManager {
  readonly id: string;
  readonly path: string;
  readonly systems: readonly EmulatedSystem[];
  /** A per-System manager holds its System's virtual media; a shared one leaves it to Systems. */
  readonly hostsVirtualMedia: boolean;
  firmwareVersion: string;
  /** The BMC clock minus the real one, in milliseconds (set by PATCHing DateTime). */
  clockOffsetMs: number;
  /** DateTimeLocalOffset, e.g. `+00:00`. */
  localOffset: string;
}

export const INITIAL_MANAGER_STATE = {
  firmwareVersion: '1.0.0',
  clockOffsetMs: 0,
  localOffset: '+00:00',
} as const;

export interface EmulatorModel {
  readonly serviceUuid: string;
  /** Added to a Manager's position for its UUID, as to a System's for its inventory. */
  readonly inventoryIndexBase: number;
  readonly systems: readonly EmulatedSystem[];
  readonly systemsById: ReadonlyMap<string, EmulatedSystem>;
  readonly managers: readonly EmulatedManager[];
  readonly managersById: ReadonlyMap<string, EmulatedManager>;
  readonly sessions: SessionStore;
  readonly subscriptions: SubscriptionStore;
  readonly tasks: TaskStore;
  readonly faults: FaultInjector;
  readonly settings: EmulatorSettings;
}
