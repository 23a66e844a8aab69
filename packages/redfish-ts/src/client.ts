/** Entry point: one client per BMC (address + credentials), and handles on its systems. */
import { inspect } from 'node:util';
import * as actions from './actions';
import type { ActionOptions, ActionResult, BootOverride, InsertMediaOptions } from './actions';
import type { AuthType } from './auth';
import { Connection, SERVICE_ROOT_PATH } from './connection';
import type { RedfishResponse, RequestOptions } from './connection';
import { RedfishError, RedfishUnsupportedError } from './errors';
import * as events from './events';
import type { CreatedSubscription, SubscriptionRequest } from './events';
import * as inventory from './inventory';
import type { DiskInfo, NetworkInterfaceInfo, SystemInventory } from './inventory';
import { getMembers, getResource, listMembers, patchResource } from './navigation';
import type { PatchOptions } from './navigation';
import { linkOf } from './resources';
import type {
  Bios,
  BiosAttributeValue,
  Chassis,
  ComputerSystem,
  EventDestination,
  Manager,
  Processor,
  RedfishResource,
  ResetType,
  ServiceRoot,
  VirtualMedia,
} from './resources';
import { createStats, silentLogger } from './stats';
import type { RedfishLogger, RedfishStats } from './stats';
import { waitForTask } from './tasks';
import type { TaskOutcome, TaskWaitOptions } from './tasks';
import type { HttpMethod, RedfishPools, VerifyCa } from './pool';

export interface RedfishClientOptions {
  /** `https://host[:port]`, `http://host[:port]` or a bare host (HTTPS), like `redfish_address`. */
  readonly address: string;
  readonly username: string;
  readonly password: string;
  /** Ironic's `redfish_auth_type`; default `auto`. */
  readonly authType?: AuthType;
  /**
   * Ironic's `redfish_verify_ca`: `true` (system CAs, the default), `false` (no verification:
   * only when asked for), or the path of a PEM CA bundle.
   */
  readonly verifyCa?: VerifyCa;
  /** Requests on the wire to this BMC at once; more wait in a queue. Default 4. */
  readonly maxInFlight?: number;
  /** Per attempt, from sending to the end of the answer. Default 60 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Extra attempts after a connection error, timeout or retryable 5xx. Default 3. */
  readonly retries?: number;
  /** Backoff before retry n is about `retryBaseDelayMs · 2ⁿ` (jittered). Default 500 ms. */
  readonly retryBaseDelayMs?: number;
  /** Upper bound on one backoff or `Retry-After` wait. Default 30 000 ms. */
  readonly maxRetryDelayMs?: number;
  /** How long an idle keep-alive connection is kept. Default 4 000 ms. */
  readonly idleSocketTimeoutMs?: number;
  /** Larger answers are refused. Default 16 MiB. */
  readonly maxResponseBytes?: number;
  /** Overall bound on waiting for a task monitor. Default 600 000 ms. */
  readonly taskTimeoutMs?: number;
  /** Task monitor poll interval without `Retry-After`. Default 1 000 ms. */
  readonly taskPollIntervalMs?: number;
  /** Upper bound on one task monitor wait. Default 30 000 ms. */
  readonly maxTaskPollIntervalMs?: number;
  readonly logger?: RedfishLogger;
  /**
   * Share connection pools with other clients given the same `RedfishPools`: one pool and one
   * `maxInFlight` bound per (BMC origin, verify CA). Default: a pool of this client's own.
   */
  readonly pools?: RedfishPools;
}

export class RedfishClient {
  /** Live counters (mutated in place). */
  readonly stats: RedfishStats = createStats();
  readonly #conn: Connection;
  readonly #tasks: TaskWaitOptions;
  #root: Promise<ServiceRoot> | undefined;

  constructor(options: RedfishClientOptions) {
    this.#conn = new Connection({
      address: options.address,
      verifyCa: options.verifyCa ?? true,
      maxInFlight: options.maxInFlight ?? 4,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      retries: options.retries ?? 3,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
      idleSocketTimeoutMs: options.idleSocketTimeoutMs ?? 4_000,
      maxResponseBytes: options.maxResponseBytes ?? 16 * 1024 * 1024,
      authType: options.authType ?? 'auto',
      credentials: { username: options.username, password: options.password },
      stats: this.stats,
      logger: options.logger ?? silentLogger,
      pools: options.pools,
    });
    this.#tasks = {
      timeoutMs: options.taskTimeoutMs ?? 600_000,
      pollIntervalMs: options.taskPollIntervalMs ?? 1_000,
      maxPollIntervalMs: options.maxTaskPollIntervalMs ?? 30_000,
    };
  }

  /** `scheme://host:port` of the BMC. */
  get target(): string {
    return this.#conn.target;
  }

  /** Authentication in use: `session`, `basic`, or `none` before the first request. */
  get authMode(): 'basic' | 'session' | 'none' {
    return this.#conn.authMode;
  }

  get closed(): boolean {
    return this.#conn.closed;
  }

  /** The service root (`/redfish/v1/`), read once and kept; `refresh` reads it again. */
  root(refresh = false): Promise<ServiceRoot> {
    if (refresh || !this.#root) {
      const reading = getResource<ServiceRoot>(this.#conn, SERVICE_ROOT_PATH);
      this.#root = reading;
      reading.catch(() => {
        if (this.#root === reading) this.#root = undefined;
      });
    }
    return this.#root;
  }

  get<T extends RedfishResource = RedfishResource>(path: string): Promise<T> {
    return getResource<T>(this.#conn, path);
  }

  /** Any request, for what the typed methods do not cover. Errors are thrown as for the rest. */
  request<T = unknown>(
    method: HttpMethod,
    path: string,
    options?: RequestOptions,
  ): Promise<RedfishResponse<T>> {
    return this.#conn.request<T>(method, path, options);
  }

  /** PATCH guarded by the resource's ETag (`If-Match`), resent once after a 412. */
  patch(
    path: string,
    changes: Record<string, unknown>,
    options?: PatchOptions,
  ): Promise<RedfishResponse> {
    return patchResource(this.#conn, path, changes, options);
  }

  /** Member paths of a collection (all pages). */
  listMembers(collectionPath: string): Promise<string[]> {
    return listMembers(this.#conn, collectionPath);
  }

  /** Member resources of a collection (all pages). */
  getMembers<T extends RedfishResource = RedfishResource>(collectionPath: string): Promise<T[]> {
    return getMembers<T>(this.#conn, collectionPath);
  }

  async systems(): Promise<ComputerSystem[]> {
    return this.getMembers<ComputerSystem>(await this.#collection('Systems'));
  }

  async managers(): Promise<Manager[]> {
    return this.getMembers<Manager>(await this.#collection('Managers'));
  }

  async chassis(): Promise<Chassis[]> {
    return this.getMembers<Chassis>(await this.#collection('Chassis'));
  }

  /**
   * A handle on one system: `system` is its path (Ironic's `redfish_system_id`), its `Id`, or
   * omitted when the BMC has exactly one system.
   */
  system(system?: string): RedfishSystem {
    return new RedfishSystem(this, this.#conn, this.#tasks, system);
  }

  /** POSTs an action and waits for it (task monitor included). Not resent unless `idempotent`. */
  performAction(
    target: string,
    parameters: Record<string, unknown> = {},
    options?: ActionOptions,
  ): Promise<ActionResult> {
    return actions.performAction(this.#conn, target, parameters, this.#tasks, options);
  }

  /** Follows the task monitor of a 202 answer to the end. */
  waitForTask(accepted: RedfishResponse, options?: Partial<TaskWaitOptions>): Promise<TaskOutcome> {
    return waitForTask(this.#conn, accepted, { ...this.#tasks, ...options });
  }

  async insertMedia(virtualMediaPath: string, options: InsertMediaOptions): Promise<ActionResult> {
    return actions.insertMedia(this.#conn, virtualMediaPath, options, this.#tasks);
  }

  async ejectMedia(virtualMediaPath: string): Promise<ActionResult> {
    return actions.ejectMedia(this.#conn, virtualMediaPath, this.#tasks);
  }

  async createSubscription(request: SubscriptionRequest): Promise<CreatedSubscription> {
    return events.createSubscription(this.#conn, await this.root(), request);
  }

  async listSubscriptions(): Promise<EventDestination[]> {
    return events.listSubscriptions(this.#conn, await this.root());
  }

  getSubscription(path: string): Promise<EventDestination> {
    return events.getSubscription(this.#conn, path);
  }

  deleteSubscription(path: string): Promise<void> {
    return events.deleteSubscription(this.#conn, path);
  }

  /** Deletes the session (if any) and closes the connections. Further calls fail. */
  close(): Promise<void> {
    return this.#conn.close();
  }

  toString(): string {
    return `RedfishClient(${this.target}, ${this.authMode})`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }

  async #collection(name: 'Systems' | 'Managers' | 'Chassis'): Promise<string> {
    const link = linkOf((await this.root())[name]);
    if (!link) {
      throw new RedfishUnsupportedError(`the service root has no ${name} collection`, {
        target: this.target,
      });
    }
    return link;
  }
}

/** Operations on one ComputerSystem. The path is looked up on first use and kept. */
export class RedfishSystem {
  readonly #client: RedfishClient;
  readonly #conn: Connection;
  readonly #tasks: TaskWaitOptions;
  readonly #reference: string | undefined;
  #path: Promise<string> | undefined;

  constructor(
    client: RedfishClient,
    conn: Connection,
    tasks: TaskWaitOptions,
    reference: string | undefined,
  ) {
    this.#client = client;
    this.#conn = conn;
    this.#tasks = tasks;
    this.#reference = reference;
  }

  /** The system's path, e.g. `/redfish/v1/Systems/1`. */
  path(): Promise<string> {
    if (!this.#path) {
      const finding = this.#find();
      this.#path = finding;
      finding.catch(() => {
        if (this.#path === finding) this.#path = undefined;
      });
    }
    return this.#path;
  }

  async get(): Promise<ComputerSystem> {
    return getResource<ComputerSystem>(this.#conn, await this.path());
  }

  /** `#ComputerSystem.Reset`; refused locally when the BMC does not allow `resetType`. */
  async reset(resetType: ResetType): Promise<ActionResult> {
    return actions.resetSystem(this.#conn, await this.path(), resetType, this.#tasks);
  }

  async setBootOverride(override: BootOverride): Promise<ActionResult> {
    return actions.setBootOverride(this.#conn, await this.path(), override, this.#tasks);
  }

  async getBios(): Promise<Bios> {
    return actions.getBios(this.#conn, await this.path());
  }

  async getBiosAttributes(): Promise<Record<string, BiosAttributeValue>> {
    return { ...((await this.getBios()).Attributes ?? {}) };
  }

  async getPendingBiosAttributes(): Promise<Record<string, BiosAttributeValue>> {
    return actions.getPendingBiosAttributes(this.#conn, await this.path());
  }

  async setBiosAttributes(
    attributes: Readonly<Record<string, BiosAttributeValue>>,
  ): Promise<ActionResult> {
    return actions.setBiosAttributes(this.#conn, await this.path(), attributes, this.#tasks);
  }

  async resetBios(): Promise<ActionResult> {
    return actions.resetBios(this.#conn, await this.path(), this.#tasks);
  }

  /** The Managers that manage this System (its `Links.ManagedBy`, or `Links.Managers` on older BMCs). */
  async managers(): Promise<Manager[]> {
    const system = await this.get();
    const paths = (system.Links?.ManagedBy ?? system.Links?.Managers ?? [])
      .map(linkOf)
      .filter((path): path is string => path !== undefined);
    return Promise.all(paths.map((path) => getResource<Manager>(this.#conn, path)));
  }

  async virtualMedia(): Promise<VirtualMedia[]> {
    return actions.listVirtualMedia(this.#conn, await this.path());
  }

  async inventory(): Promise<SystemInventory> {
    return inventory.getInventory(this.#conn, await this.path());
  }

  async processors(): Promise<Processor[]> {
    return inventory.listProcessors(this.#conn, await this.path());
  }

  async networkInterfaces(): Promise<NetworkInterfaceInfo[]> {
    return inventory.listNetworkInterfaces(this.#conn, await this.path());
  }

  async disks(): Promise<DiskInfo[]> {
    return inventory.listDisks(this.#conn, await this.path());
  }

  async #find(): Promise<string> {
    const reference = this.#reference;
    if (reference && (reference.startsWith('/') || reference.includes('://'))) {
      return this.#conn.resolvePath(reference);
    }
    const root = await this.#client.root();
    const collection = linkOf(root.Systems);
    if (!collection) {
      throw new RedfishUnsupportedError('the service root has no Systems collection', {
        target: this.#conn.target,
      });
    }
    const members = await listMembers(this.#conn, collection);
    if (reference === undefined) {
      const [only] = members;
      if (members.length !== 1 || only === undefined) {
        throw new RedfishError(
          `the BMC has ${members.length} systems; name one (redfish_system_id)`,
          { target: this.#conn.target, path: collection },
        );
      }
      return only;
    }
    const match = members.find((m) => m.replace(/\/+$/, '').split('/').pop() === reference);
    if (!match) {
      throw new RedfishError(`no system ${reference}`, {
        target: this.#conn.target,
        path: collection,
        status: 404,
      });
    }
    return match;
  }
}
