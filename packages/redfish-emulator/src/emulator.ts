/** Assembles an emulator: Systems and their backends, Managers, stores, the HTTP(S) server. */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AuthOptions, Credentials } from './auth';
import { Authenticator } from './auth';
import { defaultInventory } from './backend/inventory';
import { MemorySystemBackend } from './backend/memory';
import type {
  BootOverride,
  IndicatorLed,
  MediaState,
  PowerState,
  SystemBackend,
  SystemInventory,
} from './backend/types';
import type { BiosSnapshot } from './bios-state';
import { FaultInjector } from './faults';
import { createRequestListener } from './http/server';
import type { AsyncActionName, EmulatedManager, EmulatorModel } from './model';
import { EmulatedSystem, MANAGERS_PATH } from './model';
import { buildRouter } from './resources';
import { SessionStore } from './sessions';
import type { SubscriptionRecord } from './subscriptions';
import { SubscriptionStore } from './subscriptions';
import type { TaskState } from './tasks';
import { TaskStore } from './tasks';
import type { GeneratedTls, TlsMaterial } from './tls';
import { generateTestTls } from './tls';

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
}

export interface RedfishEmulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** How many Systems, or one spec each (default 1). */
  readonly systems?: number | readonly SystemSpec[];
  /** Makes the backend of Systems whose spec names none (default: in-memory simulation). */
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
  /** A file holding `caPem` (generated certificates only), for `redfish_verify_ca`. */
  readonly caPath: string | undefined;
  readonly systems: readonly EmulatedSystemHandle[];
  readonly faults: FaultInjector;
  system(id: string): EmulatedSystemHandle;
  sessions(): SessionInfo[];
  subscriptions(): SubscriptionRecord[];
  /** Events sent to subscribers by SubmitTestEvent so far, and failed sends. */
  eventDeliveries(): { readonly delivered: number; readonly failed: number };
  tasks(): TaskInfo[];
  /** Stops the server (dropping open connections), timers and backends; removes temp files. */
  close(): Promise<void>;
}

function systemSpecs(systems: RedfishEmulatorOptions['systems']): readonly SystemSpec[] {
  if (systems === undefined) return [{}];
  if (typeof systems === 'number') {
    if (!Number.isInteger(systems) || systems < 1) {
      throw new RangeError(`systems must be a positive integer, got ${systems}`);
    }
    return Array.from({ length: systems }, () => ({}));
  }
  return systems;
}

function buildSystems(options: RedfishEmulatorOptions, faults: FaultInjector): EmulatedSystem[] {
  const specs = systemSpecs(options.systems);
  const seen = new Set<string>();
  return specs.map((spec, index) => {
    const id = spec.id ?? String(index + 1);
    if (!/^[A-Za-z0-9._~-]+$/.test(id)) {
      throw new Error(
        `System id ${JSON.stringify(id)} must be letters, digits, '.', '_', '~' or '-'`,
      );
    }
    if (seen.has(id)) throw new Error(`duplicate System id ${id}`);
    seen.add(id);
    const inventory: SystemInventory = { ...defaultInventory(index), ...spec.inventory };
    const backend =
      spec.backend ??
      options.backendFactory?.(index, inventory) ??
      new MemorySystemBackend({
        inventory,
        initialPowerState: spec.powerState ?? 'Off',
        transitionMs: () => faults.powerTransitionMs,
      });
    return new EmulatedSystem(id, index, backend);
  });
}

function buildManagers(
  systems: readonly EmulatedSystem[],
  mode: 'per-system' | 'shared',
): EmulatedManager[] {
  if (mode === 'shared') {
    const manager: EmulatedManager = {
      id: 'BMC',
      path: `${MANAGERS_PATH}/BMC`,
      systems,
      hostsVirtualMedia: false,
    };
    for (const system of systems) system.manager = manager;
    return [manager];
  }
  return systems.map((system) => {
    const manager: EmulatedManager = {
      id: system.id,
      path: `${MANAGERS_PATH}/${encodeURIComponent(system.id)}`,
      systems: [system],
      hostsVirtualMedia: true,
    };
    system.manager = manager;
    return manager;
  });
}

function systemHandle(system: EmulatedSystem): EmulatedSystemHandle {
  const { backend } = system;
  return {
    id: system.id,
    path: system.path,
    managerPath: system.manager.path,
    uuid: backend.inventory.uuid,
    macAddresses: backend.inventory.ethernetInterfaces.map((nic) => nic.macAddress),
    backend,
    state: () => ({
      powerState: backend.powerState(),
      bootOverride: backend.bootOverride(),
      indicatorLed: backend.indicatorLed(),
      media: Object.fromEntries(
        backend.mediaSlots.map((slot) => [slot.id, backend.media(slot.id)]),
      ),
      bios: system.bios.snapshot(),
    }),
  };
}

async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function startRedfishEmulator(
  options: RedfishEmulatorOptions = {},
): Promise<RedfishEmulator> {
  const host = options.host ?? '127.0.0.1';
  const credentials: Credentials = {
    username: options.auth?.username ?? DEFAULT_USERNAME,
    password: options.auth?.password ?? DEFAULT_PASSWORD,
  };
  const sessions = new SessionStore(options.sessionTimeoutSeconds ?? 1800);
  const faults = new FaultInjector(sessions, options.random);
  faults.powerTransitionMs = options.powerTransitionMs ?? 0;
  const systems = buildSystems(options, faults);
  const managers = buildManagers(systems, options.managers ?? 'per-system');
  const tasks = new TaskStore();
  const model: EmulatorModel = {
    serviceUuid: randomUUID(),
    systems,
    systemsById: new Map(systems.map((system) => [system.id, system])),
    managers,
    managersById: new Map(managers.map((manager) => [manager.id, manager])),
    sessions,
    subscriptions: new SubscriptionStore(),
    tasks,
    faults,
    settings: {
      pageSize: options.pageSize,
      requireIfMatch: options.requireIfMatch ?? false,
      asyncActions: {
        actions: new Set(options.asyncActions?.actions ?? []),
        durationMs: options.asyncActions?.durationMs ?? 1000,
        retryAfterSeconds: options.asyncActions?.retryAfterSeconds ?? 1,
      },
    },
  };
  if (
    options.pageSize !== undefined &&
    (!Number.isInteger(options.pageSize) || options.pageSize < 1)
  ) {
    throw new RangeError(`pageSize must be a positive integer, got ${options.pageSize}`);
  }
  const authenticator = new Authenticator(credentials, options.auth?.basic ?? true, sessions);
  const listener = createRequestListener({
    router: buildRouter(model, authenticator),
    authenticator,
    faults,
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  });

  let generated: GeneratedTls | undefined;
  let tls: TlsMaterial | undefined;
  if (options.tls === true) tls = generated = await generateTestTls();
  else if (options.tls) tls = options.tls;

  const server = tls
    ? https.createServer({ cert: tls.certPem, key: tls.keyPem }, listener)
    : http.createServer(listener);
  server.keepAliveTimeout = 30_000;

  let port: number;
  try {
    port = await listen(server, options.port ?? 0, host);
  } catch (error) {
    await Promise.all(systems.map((system) => system.close()));
    await generated?.remove();
    throw error;
  }

  const handles = systems.map(systemHandle);
  const handlesById = new Map(handles.map((handle) => [handle.id, handle]));
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    url: `${tls ? 'https' : 'http'}://${urlHost}:${port}`,
    host,
    port,
    credentials,
    caPem: tls?.caPem,
    caPath: generated?.caPath,
    systems: handles,
    faults,
    system(id: string): EmulatedSystemHandle {
      const handle = handlesById.get(id);
      if (!handle) throw new Error(`no System ${id}`);
      return handle;
    },
    sessions: () =>
      sessions.list().map(({ id, userName, createdTime }) => ({ id, userName, createdTime })),
    subscriptions: () => model.subscriptions.list(),
    eventDeliveries: () => ({ ...model.subscriptions.deliveries }),
    tasks: () =>
      tasks.list().map((task) => ({
        id: task.id,
        name: task.name,
        state: task.state,
        percentComplete: tasks.percentComplete(task),
      })),
    close(): Promise<void> {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        tasks.close();
        await Promise.all(systems.map((system) => system.close()));
        await generated?.remove();
      })();
      return closing;
    },
  };
}
