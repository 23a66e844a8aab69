/** Assembles an emulator: Systems and their backends, Managers, stores, the HTTP(S) server. */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Credentials } from './auth';
import { Authenticator } from './auth';
import { defaultInventory } from './backend/inventory';
import { MemorySystemBackend } from './backend/memory';
import type { SystemInventory } from './backend/types';
import type {
  EmulatedSystemHandle,
  RedfishEmulator,
  RedfishEmulatorOptions,
  SystemSpec,
} from './emulator-types';
import { DEFAULT_PASSWORD, DEFAULT_USERNAME } from './emulator-types';
import { FaultInjector } from './faults';
import { createRequestListener } from './http/server';
import type { EmulatedManager, EmulatorModel } from './model';
import { EmulatedSystem, INITIAL_MANAGER_STATE, MANAGERS_PATH } from './model';
import { buildRouter } from './resources';
import { RequestLog } from './request-log';
import { SessionStore } from './sessions';
import { SubscriptionStore } from './subscriptions';
import { TaskStore } from './tasks';
import type { GeneratedTls, TlsMaterial } from './tls';
import { generateTestTls } from './tls';

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
    const inventoryIndex = (options.inventoryIndexBase ?? 0) + index;
    const inventory: SystemInventory = { ...defaultInventory(inventoryIndex), ...spec.inventory };
    const backend =
      spec.backend ??
      options.backendFactory?.(inventoryIndex, inventory) ??
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
      ...INITIAL_MANAGER_STATE,
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
      ...INITIAL_MANAGER_STATE,
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
      secureBoot: system.secureBoot.snapshot(),
      firmware: {
        bios: system.biosVersion,
        pendingBios: system.pendingBiosVersion,
        bmc: system.manager.firmwareVersion,
      },
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
    inventoryIndexBase: options.inventoryIndexBase ?? 0,
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
      weakEtags: options.weakEtags ?? false,
      virtualMediaByPatch: options.virtualMedia === 'patch',
      asyncActions: {
        actions: new Set(options.asyncActions?.actions ?? []),
        durationMs: options.asyncActions?.durationMs ?? 1000,
        retryAfterSeconds: options.asyncActions?.retryAfterSeconds ?? 1,
        runningTaskStatus: options.asyncActions?.runningTaskStatus ?? 202,
      },
    },
  };
  if (
    options.pageSize !== undefined &&
    (!Number.isInteger(options.pageSize) || options.pageSize < 1)
  ) {
    throw new RangeError(`pageSize must be a positive integer, got ${options.pageSize}`);
  }
  const requestLog = new RequestLog();
  const authenticator = new Authenticator(credentials, options.auth?.basic ?? true, sessions);
  const listener = createRequestListener({
    router: buildRouter(model, authenticator),
    authenticator,
    faults,
    weakEtags: model.settings.weakEtags,
    requestLog,
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  });

  let generated: GeneratedTls | undefined;
  let tls: TlsMaterial | undefined;
  if (options.tls === true) {
    try {
      tls = generated = await generateTestTls();
    } catch (error) {
      await Promise.all(systems.map((system) => system.close()));
      throw error;
    }
  } else if (options.tls) {
    tls = options.tls;
  }

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
    caPath: tls?.caPath,
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
    requests: () => requestLog.list(),
    clearRequests: () => requestLog.clear(),
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
        model.subscriptions.close();
        await Promise.all(systems.map((system) => system.close()));
        await generated?.remove();
      })();
      return closing;
    },
  };
}

export {
  DEFAULT_PASSWORD,
  DEFAULT_USERNAME,
  type AsyncActionOptions,
  type EmulatedSystemHandle,
  type RedfishEmulator,
  type RedfishEmulatorOptions,
  type SessionInfo,
  type SystemSpec,
  type SystemStateSnapshot,
  type TaskInfo,
} from './emulator-types';
