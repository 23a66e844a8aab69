import {
  heldLockFence,
  type BiosSettingInput,
  type BiosSettingStore,
  type FirmwareComponentInput,
  type FirmwareComponentStore,
  type NodeFields,
  type NodeRow,
  type NodeStore,
  type SqlFence,
} from '@galvanic/db';
import type { DriverRegistry } from '@galvanic/driver-loader';
import {
  INTERFACE_KINDS,
  driverView,
  type HardwareInterface,
  type InterfaceKind,
  type NodeView,
  type PowerInterface,
  type PowerState,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { DriverNotFound, NodeNotFound, UnsupportedDriverExtension } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import type { ExclusiveLock } from '@galvanic/node-locks';
import {
  CLEANING,
  CLEAN_WAIT,
  SERVICE_WAIT,
  SERVICING,
  fireEvent,
  type ConductorEvent,
  type ProvisionState,
  type ProvisionTransition,
} from '@galvanic/node-states';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseConnectionFailure } from './database-faults';
import type { NodeHistoryRecorder } from './history';
import { withoutPowerOff } from './power-guard';

/** A failed write whose lock session looks fine is tried again this often, this many times. */
const SAVE_RETRY_INTERVAL_MS = 250;
const SAVE_RETRIES_WHILE_SESSION_UP = 40;

/** The fence every write under an exclusive lock carries: it applies only while the lock is ours. */
export function lockFence(lock: ExclusiveLock): SqlFence {
  return heldLockFence(lock.fenceToken);
}

/** The interface implementation names of a node, by kind: its columns, else its type's defaults. */
export function interfaceNamesOf(
  row: NodeRow,
  drivers: DriverRegistry,
): Record<InterfaceKind, string> {
  const type = drivers.hardwareType(row.driver);
  if (!type) throw new DriverNotFound(row.driver);
  const names = {} as Record<InterfaceKind, string>;
  for (const kind of INTERFACE_KINDS) {
    const column = (row as unknown as Record<string, unknown>)[`${kind}_interface`];
    names[kind] = typeof column === 'string' ? column : type.defaults[kind];
  }
  return names;
}

/**
 * One piece of work on one node, under its lock: the node as loaded, its driver, and the way to
 * save changes (fenced by the lock when exclusive).
 */
export class NodeTask {
  private current: NodeRow;
  readonly context: TaskContext;

  constructor(
    row: NodeRow,
    ports: NodeView['ports'],
    private readonly store: NodeStore,
    private readonly drivers: DriverRegistry,
    readonly lock: ExclusiveLock | undefined,
    logger: Logger,
    requestId: string,
    signal: AbortSignal,
    /** Where the node's BIOS settings are cached; a task without one cannot cache them. */
    private readonly biosSettings?: BiosSettingStore,
    /** Where the node's history is kept; a task without one records none. */
    private readonly history?: NodeHistoryRecorder,
    /** Where the node's firmware components are kept; a task without one cannot record them. */
    private readonly firmware?: FirmwareComponentStore,
  ) {
    this.current = row;
    const names = interfaceNamesOf(row, drivers);
    const driver = driverView(row.driver, names, (kind, name) =>
      kind === 'power' ? this.power() : drivers.implementation(kind, name),
    );
    this.context = {
      node: {
        id: row.id,
        uuid: row.uuid,
        name: row.name,
        driver: row.driver,
        driverInfo: row.driver_info,
        driverInternalInfo: { ...row.driver_internal_info },
        instanceInfo: row.instance_info,
        properties: row.properties,
        extra: row.extra,
        provisionState: row.provision_state,
        powerState: row.power_state as PowerState | null,
        ports: ports.map((p) => ({ uuid: p.uuid, address: p.address, pxeEnabled: p.pxeEnabled })),
      },
      driver,
      logger: logger.child({ node: row.uuid }),
      signal,
      shared: lock === undefined,
      requestId,
    };
  }

  get node(): NodeRow {
    return this.current;
  }

  private guardedPower: PowerInterface | undefined;

  /** The node's power interface; for a node with `disable_power_off`, one that never powers off. */
  private power(): PowerInterface | undefined {
    const power = this.drivers.implementation('power', this.context.driver.interfaceNames.power) as
      PowerInterface | undefined;
    if (!power || !this.current.disable_power_off) return power;
    return (this.guardedPower ??= withoutPowerOff(power));
  }

  get provisionState(): ProvisionState {
    return this.current.provision_state as ProvisionState;
  }

  get targetProvisionState(): ProvisionState | null {
    return this.current.target_provision_state as ProvisionState | null;
  }

  /** Saves the node in the state and target a transition leads to, with `changes`. */
  async moveTo(transition: ProvisionTransition, changes: NodeFields = {}): Promise<void> {
    await this.save({
      ...changes,
      provision_state: transition.next,
      target_provision_state: transition.target,
      provision_updated_at: new Date(),
    });
  }

  /**
   * Ironic's `task.process_event(event)` as the conductor's work fires it (done, fail, clean,
   * manage): the node moves by the state machine's edge from its current state and is saved with
   * `changes`. Throws `InvalidState` when the state has no such edge.
   */
  async processEvent(
    event: ConductorEvent,
    options: { automatedClean?: boolean; changes?: NodeFields } = {},
  ): Promise<void> {
    const transition = fireEvent(this.provisionState, event, {
      currentTarget: this.targetProvisionState,
      automatedClean: options.automatedClean,
    });
    await this.moveTo(transition, options.changes);
  }

  /**
   * Records a failure of the node's work: the node moves to its state's failure state with
   * `last_error` and without a current step, in one write. A state with no failure edge keeps
   * its state, gets `last_error`, and the `InvalidState` is thrown for the caller to report.
   */
  async fail(reason: string): Promise<void> {
    const step =
      this.provisionState === CLEANING || this.provisionState === CLEAN_WAIT
        ? 'clean_step'
        : this.provisionState === SERVICING || this.provisionState === SERVICE_WAIT
          ? 'service_step'
          : 'deploy_step';
    const changes: NodeFields = { last_error: reason, [step]: {} };
    let transition: ProvisionTransition;
    try {
      transition = fireEvent(this.provisionState, 'fail', {
        currentTarget: this.targetProvisionState,
      });
    } catch (error) {
      await this.save(changes);
      throw error;
    }
    await this.moveTo(transition, changes);
  }

  /** The implementation of one kind the node uses; refuses a kind its driver leaves out. */
  interfaceOf<T extends HardwareInterface>(kind: InterfaceKind): T {
    const implementation =
      kind === 'power'
        ? this.power()
        : this.drivers.implementation(kind, this.context.driver.interfaceNames[kind]);
    if (!implementation) throw new UnsupportedDriverExtension(this.current.driver, kind);
    return implementation as T;
  }

  /**
   * Saves changes, with whatever the driver put in driver_internal_info. Under an exclusive lock
   * the write is fenced: if the lock was lost, nothing is written and the task stops. A write
   * that failed because the database connection or the lock session went away waits for the
   * lock to be taken back on a new session and is made again; if the lock is lost instead, the
   * task stops with the reason.
   */
  async save(changes: NodeFields): Promise<NodeRow> {
    const lock = this.lock;
    if (!lock) throw new Error('a shared task cannot write the node');
    const internal = this.context.node.driverInternalInfo;
    const withInternal =
      JSON.stringify(internal) === JSON.stringify(this.current.driver_internal_info)
        ? changes
        : { driver_internal_info: internal, ...changes };
    let unexplainedFailures = 0;
    for (;;) {
      const token = lock.fenceToken;
      let saved: NodeRow | undefined;
      let failure: unknown;
      try {
        saved = await this.store.update(this.current.id, withInternal, lockFence(lock));
      } catch (error) {
        if (!isDatabaseConnectionFailure(error)) throw error;
        failure = error;
      }
      if (saved) {
        const before = this.current;
        this.current = saved;
        this.refreshView(saved);
        await this.history?.afterSave(before, saved, changes);
        return saved;
      }
      if (!lock.held) throw lock.signal.reason as Error;
      if (lock.suspended || lock.fenceToken !== token) {
        await lock.whenHeld(this.context.signal);
        continue;
      }
      // The write failed, or the fence refused it, while the lock looks held: its session may be
      // gone without the locker knowing yet (nobody deletes a node whose lock we hold). Give the
      // locker a moment to notice, then write again.
      if (++unexplainedFailures > SAVE_RETRIES_WHILE_SESSION_UP) {
        throw failure === undefined ? new NodeNotFound(this.current.uuid) : (failure as Error);
      }
      await sleep(SAVE_RETRY_INTERVAL_MS, undefined, { signal: this.context.signal });
    }
  }

  /** Keeps what drivers see of the node in step with what was saved (their working copy aside). */
  private refreshView(saved: NodeRow): void {
    Object.assign(this.context.node, {
      driverInfo: saved.driver_info,
      instanceInfo: saved.instance_info,
      properties: saved.properties,
      extra: saved.extra,
      provisionState: saved.provision_state,
      powerState: saved.power_state as PowerState | null,
    });
  }

  /**
   * Makes `settings` the node's cached BIOS settings, fenced by the node's lock: if the lock was
   * lost nothing is written and the task stops with the reason.
   */
  async saveBiosSettings(settings: readonly BiosSettingInput[]): Promise<void> {
    const store = this.biosSettings;
    if (!store) throw new Error('this conductor keeps no BIOS settings');
    await this.writeUnderLock((fence) => store.replace(this.current.id, settings, fence));
  }

  /**
   * Records the node's firmware components as its firmware interface read them, fenced by the
   * node's lock: if the lock was lost nothing is written and the task stops with the reason.
   */
  async saveFirmwareComponents(components: readonly FirmwareComponentInput[]): Promise<void> {
    const store = this.firmware;
    if (!store) throw new Error('this conductor keeps no firmware components');
    await this.writeUnderLock((fence) => store.record(this.current.id, components, fence));
  }

  /**
   * A write of another table (BIOS settings, firmware, ports' VIFs) fenced by the node's lock:
   * `write` says whether the fence held; if the lock was lost the task stops with the reason.
   */
  async writeUnderLock(write: (fence: SqlFence) => Promise<boolean>): Promise<void> {
    const lock = this.lock;
    if (!lock) throw new Error('a shared task cannot write the node');
    if (await write(lockFence(lock))) return;
    if (!lock.held) throw lock.signal.reason as Error;
    throw new NodeNotFound(this.current.uuid);
  }
}
