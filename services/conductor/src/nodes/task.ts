import type { NodeFields, NodeRow, NodeStore, SqlFence } from '@galvanic/db';
import type { DriverRegistry } from '@galvanic/driver-loader';
import {
  INTERFACE_KINDS,
  type DriverView,
  type HardwareInterface,
  type InterfaceKind,
  type NodeView,
  type PowerState,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { DriverNotFound, NodeNotFound, UnsupportedDriverExtension } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import { stillHeldSql, type ExclusiveLock } from '@galvanic/node-locks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseConnectionFailure } from './database-faults';

/** A failed write whose lock session looks fine is tried again this often, this many times. */
const SAVE_RETRY_INTERVAL_MS = 250;
const SAVE_RETRIES_WHILE_SESSION_UP = 40;

/** The fence every write under an exclusive lock carries: it applies only while the lock is ours. */
export function lockFence(lock: ExclusiveLock): SqlFence {
  return (bind) => stillHeldSql('$1', bind(lock.fenceToken));
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
  ) {
    this.current = row;
    const names = interfaceNamesOf(row, drivers);
    const driver: DriverView = {
      name: row.driver,
      interfaceNames: names,
      interfaceOf: (kind) => drivers.implementation(kind, names[kind]),
    };
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

  /** The implementation of one kind the node uses; refuses a kind its driver leaves out. */
  interfaceOf<T extends HardwareInterface>(kind: InterfaceKind): T {
    const implementation = this.drivers.implementation(
      kind,
      this.context.driver.interfaceNames[kind],
    );
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
        this.current = saved;
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
}
