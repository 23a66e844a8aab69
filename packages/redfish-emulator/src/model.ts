/**
 * The emulated BMC's state as the HTTP resources see it: Systems (each a backend plus BIOS
 * settings), their Managers and Chassis, sessions, subscriptions, tasks and settings.
 */
import type { SystemBackend } from './backend/types';
import { BiosState } from './bios-state';
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
}

export interface EmulatorSettings {
  /** Collections list at most this many members per page (undefined: no paging). */
  readonly pageSize: number | undefined;
  /** PATCH without If-Match is a 428. */
  readonly requireIfMatch: boolean;
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
  readonly path: string;
  readonly chassisPath: string;
  assetTag = '';
  manager!: EmulatedManager;
  readonly #stopListening: () => void;

  constructor(id: string, index: number, backend: SystemBackend) {
    this.id = id;
    this.index = index;
    this.backend = backend;
    this.path = `${SYSTEMS_PATH}/${encodeURIComponent(id)}`;
    this.chassisPath = `${CHASSIS_PATH}/${encodeURIComponent(id)}`;
    this.#stopListening = backend.onBoot(() => this.bios.applyPending());
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
}

export interface EmulatorModel {
  readonly serviceUuid: string;
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
