import type {
  BiosSettingStore,
  FirmwareComponentStore,
  NodePortRow,
  NodeRow,
  NodeStore,
} from '@galvanic/db';
import type { DriverRegistry } from '@galvanic/driver-loader';
import { NodeNotFound } from '@galvanic/errors';
import { runWithLogContext, type Logger } from '@galvanic/logging';
import type { ExclusiveLock, NodeLocker } from '@galvanic/node-locks';
import type { ProvisionTransition } from '@galvanic/node-states';
import type { NodeOwnership } from './ownership';
import { loadRecordingIssue, refuseIfStale } from './request-order';
import type { NodeHistoryRecorder } from './history';
import { NodeTask } from './task';

/** A node as an RPC names it. */
export interface NodeIdent {
  node_id: number;
  node_uuid: string;
}

/**
 * What work on a node runs for: a request id, and, for an RPC call the api routed here (an
 * `RpcCallContext` is one), when it was issued and its deadline. Periodic work has neither.
 */
export interface CallOrigin {
  requestId: string;
  issuedAt?: number;
  deadline?: number;
}

/** The checks a routed call passes before anything runs on its node. */
export interface CallAdmission {
  ownership: NodeOwnership;
}

/**
 * Runs work on nodes under their locks, as Ironic's task manager does. Exclusive work takes the
 * node's advisory lock first (409 NodeLocked after the configured retries); async work keeps it
 * until its background part ends, whatever happens, and stops when the lock is lost or the
 * conductor stops.
 */
export class NodeTaskManager {
  private readonly background = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly store: NodeStore,
    private readonly drivers: DriverRegistry,
    private readonly locker: NodeLocker,
    private readonly logger: Logger,
    private readonly admission: CallAdmission,
    /** Where tasks cache their nodes' BIOS settings. */
    private readonly biosSettings?: BiosSettingStore,
    /** Where tasks record their nodes' history. */
    private readonly history?: NodeHistoryRecorder,
    /** Where tasks record their nodes' firmware components. */
    private readonly firmware?: FirmwareComponentStore,
  ) {}

  /** Aborts when the conductor stops and abandons what is still running. */
  get stopSignal(): AbortSignal {
    return this.stopping.signal;
  }

  get inFlight(): number {
    return this.background.size;
  }

  private async load(
    ref: NodeIdent,
    lock: ExclusiveLock | undefined,
    call: CallOrigin,
  ): Promise<NodeTask> {
    const routed =
      call.issuedAt !== undefined && call.deadline !== undefined
        ? { issuedAt: call.issuedAt, deadline: call.deadline }
        : undefined;
    if (lock && routed) {
      // Loaded and its issue time recorded in one round trip. Recording before the ownership
      // check is harmless: a refused call is resent, with the same time, to the owner.
      const loaded = await loadRecordingIssue(this.store, lock, routed.issuedAt);
      await this.admission.ownership.assertOwner(loaded.node, routed);
      refuseIfStale(lock, routed.issuedAt, loaded);
      return this.taskOf(loaded, lock, call.requestId);
    }
    const found = await this.store.getWithPorts(ref.node_id);
    if (!found) throw new NodeNotFound(ref.node_uuid);
    if (routed) await this.admission.ownership.assertOwner(found.node, routed);
    return this.taskOf(found, lock, call.requestId);
  }

  private taskOf(
    { node, ports }: { node: NodeRow; ports: NodePortRow[] },
    lock: ExclusiveLock | undefined,
    requestId: string,
  ): NodeTask {
    const signal = lock
      ? AbortSignal.any([lock.signal, this.stopping.signal])
      : this.stopping.signal;
    return new NodeTask(
      node,
      ports.map((p) => ({ uuid: p.uuid, address: p.address, pxeEnabled: p.pxe_enabled })),
      this.store,
      this.drivers,
      lock,
      this.logger,
      requestId,
      signal,
      this.biosSettings,
      this.history,
      this.firmware,
    );
  }

  private async acquire(ref: NodeIdent, call: CallOrigin, attempts?: number): Promise<NodeTask> {
    const lock = await this.locker.acquireExclusive(
      { id: ref.node_id, ident: ref.node_uuid },
      attempts,
    );
    try {
      return await this.load(ref, lock, call);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /**
   * Runs `fn` under the node's exclusive lock and releases it after. `attempts: 1` fails at once
   * with NodeLocked when the node is busy, for periodic work that must not wait.
   */
  async withExclusive<T>(
    ref: NodeIdent,
    call: CallOrigin,
    fn: (task: NodeTask) => Promise<T>,
    attempts?: number,
  ): Promise<T> {
    const task = await this.acquire(ref, call, attempts);
    try {
      return await fn(task);
    } finally {
      await task.lock!.release();
    }
  }

  /**
   * A read-only task on a node row the caller already read (with its ports), under Ironic's
   * shared lock (which takes nothing): for periodic work that reads many nodes in one statement.
   */
  sharedTaskOf(found: { node: NodeRow; ports: NodePortRow[] }, requestId: string): NodeTask {
    return this.taskOf(found, undefined, requestId);
  }

  /** Runs read-only `fn` under Ironic's shared lock: it neither waits for nor blocks exclusive work. */
  async withShared<T>(
    ref: NodeIdent,
    call: CallOrigin,
    fn: (task: NodeTask) => Promise<T>,
  ): Promise<T> {
    return fn(await this.load(ref, undefined, call));
  }

  /**
   * Ironic's async actions: takes the lock and runs `accept` before the caller gets its answer
   * (so contention and invalid requests are answered synchronously), then runs `work` in the
   * background under the same lock. `onFailure` records a failure of `work` on the node; the
   * lock is released whatever happens.
   */
  async startAsync(
    ref: NodeIdent,
    call: CallOrigin,
    accept: (task: NodeTask) => Promise<void>,
    work: (task: NodeTask) => Promise<void>,
    onFailure: (task: NodeTask, error: Error) => Promise<void>,
  ): Promise<void> {
    const { requestId } = call;
    const task = await this.acquire(ref, call);
    try {
      await accept(task);
    } catch (error) {
      await task.lock!.release();
      throw error;
    }
    const running = runWithLogContext({ requestId }, async () => {
      try {
        await work(task);
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.logger.warn('node task failed', {
          node: task.node.uuid,
          request_id: requestId,
          reason: failure.message,
        });
        if (task.lock!.held) {
          await onFailure(task, failure).catch((recordError: unknown) =>
            this.logger.error('could not record a task failure on the node', {
              node: task.node.uuid,
              reason: (recordError as Error).message,
            }),
          );
        }
      } finally {
        await task.lock!.release();
      }
    });
    this.track(running);
  }

  /**
   * The one way a request moves a node through the provisioning state machine, as Ironic's
   * `task.process_event(event, callback=work)`: under the node's exclusive lock, `transition`
   * checks the request is allowed in the node's state (and validates what it needs), the node
   * moves to the transient state the transition leads to and is saved, and the caller is
   * answered; `work` then runs in the background under the same lock and moves the node on with
   * `task.processEvent`. Should it fail, the node goes to its state's failure state with
   * `last_error`.
   */
  async processEvent(
    ref: NodeIdent,
    call: CallOrigin,
    transition: (task: NodeTask) => Promise<ProvisionTransition>,
    work: (task: NodeTask) => Promise<void>,
  ): Promise<void> {
    await this.startAsync(
      ref,
      call,
      async (task) => task.moveTo(await transition(task), { last_error: null }),
      work,
      (task, error) => task.fail(error.message),
    );
  }

  /**
   * Async work under a shared lock: nothing is locked, nothing may be written to the node; a
   * failure is logged with the request id.
   */
  async startShared(
    ref: NodeIdent,
    call: CallOrigin,
    accept: (task: NodeTask) => Promise<void>,
    work: (task: NodeTask) => Promise<void>,
  ): Promise<void> {
    const { requestId } = call;
    const task = await this.load(ref, undefined, call);
    await accept(task);
    this.track(
      runWithLogContext({ requestId }, async () => {
        try {
          await work(task);
        } catch (error) {
          this.logger.warn('shared node task failed', {
            node: task.node.uuid,
            request_id: requestId,
            reason: (error as Error).message,
          });
        }
      }),
    );
  }

  /** Background work of no node (driver vendor methods), tracked for a graceful stop. */
  runInBackground(requestId: string, what: string, work: () => Promise<unknown>): void {
    this.track(
      runWithLogContext({ requestId }, async () => {
        try {
          await work();
        } catch (error) {
          this.logger.warn(`${what} failed`, {
            request_id: requestId,
            reason: (error as Error).message,
          });
        }
      }),
    );
  }

  private track(running: Promise<void>): void {
    this.background.add(running);
    void running.finally(() => this.background.delete(running));
  }

  /** Waits for background work up to the deadline, then aborts what is left; returns how many. */
  async drain(timeoutMs: number): Promise<number> {
    const all = Promise.allSettled([...this.background]);
    const timer = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), timeoutMs).unref(),
    );
    if ((await Promise.race([all, timer])) !== 'timeout') return 0;
    const left = this.background.size;
    this.stopping.abort(new Error('The conductor is stopping; the work was abandoned.'));
    await all;
    return left;
  }
}
