import { setTimeout as sleep } from 'node:timers/promises';
import { NodeLocked, TemporaryFailure } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import { NodeLockerClosed, NodeLockLost } from './errors';
import {
  ExclusiveNodeLock,
  SharedNodeLock,
  type ExclusiveLock,
  type NodeRef,
  type SharedLock,
} from './lock';
import { LockSession } from './session';
import {
  APPLICATION_NAME_MAX_BYTES,
  assertNodeId,
  DEFAULT_APPLICATION_NAME_PREFIX,
} from '@galvanic/db/node-locks';

export interface NodeLockerOptions {
  connectionString: string;
  /** This conductor's host name (`[DEFAULT] host`): what `reservation` and `NodeLocked` show. */
  host: string;
  logger: Logger;
  /** Ironic's `[conductor] node_locked_retry_attempts`: tries before `NodeLocked`; default 3. */
  retryAttempts?: number;
  /** Ironic's `[conductor] node_locked_retry_interval`, in ms; default 1000. */
  retryIntervalMs?: number;
  /** The lock session's `application_name` is this followed by the host. */
  applicationNamePrefix?: string;
  /** Idle time before TCP keepalive probes, on both ends of the lock session; default 10 s. */
  keepAliveIdleMs?: number;
  connectTimeoutMs?: number;
  /** A lock statement taking longer than this means the session is broken; default 10 s. */
  queryTimeoutMs?: number;
  reconnectMinDelayMs?: number;
  reconnectMaxDelayMs?: number;
}

export interface SessionLostEvent {
  error: Error;
  /** The nodes whose locks the session held: suspended until taken back on the next session. */
  nodeIds: number[];
}

type Attempt =
  | { kind: 'locked'; lock: ExclusiveNodeLock }
  | { kind: 'held'; holder: string | null }
  | { kind: 'unavailable'; error: Error | undefined };

/**
 * Placeholder of a node whose lock statement is in flight: in-process contenders see it taken.
 * One per attempt, so an attempt cut off by a lost session never clears a later attempt's.
 */
interface Pending {
  readonly pending: true;
}

/**
 * A conductor's node locks: exclusive locks are session advisory locks multiplexed over one
 * dedicated Postgres session, plus an in-process map that keeps the conductor's own tasks apart
 * (advisory locks are re-entrant within a session). See the package README for the semantics.
 */
export class NodeLocker {
  readonly host: string;
  private readonly logger: Logger;
  private readonly attempts: number;
  private readonly intervalMs: number;
  private readonly prefix: string;
  private readonly entries = new Map<number, ExclusiveNodeLock | Pending>();
  private pendingCount = 0;
  private readonly wakers = new Map<number, Set<() => void>>();
  private readonly lostListeners = new Set<(event: SessionLostEvent) => void>();
  private readonly closing = new AbortController();
  private session: LockSession | undefined;
  private reconnecting: Promise<void> | undefined;
  private backoff: AbortController | undefined;
  private started = false;
  private closed = false;

  constructor(private readonly options: NodeLockerOptions) {
    this.host = options.host;
    this.logger = options.logger.child({ component: 'node-locks' });
    this.attempts = options.retryAttempts ?? 3;
    this.intervalMs = options.retryIntervalMs ?? 1000;
    this.prefix = options.applicationNamePrefix ?? DEFAULT_APPLICATION_NAME_PREFIX;
    if (!Number.isInteger(this.attempts) || this.attempts < 1) {
      throw new RangeError(`retryAttempts must be an integer >= 1, got ${this.attempts}`);
    }
    if (!(this.intervalMs >= 0)) {
      throw new RangeError(`retryIntervalMs must be >= 0, got ${this.intervalMs}`);
    }
  }

  /** Opens the lock session; rejects if the database cannot be reached. */
  async start(): Promise<void> {
    if (this.closed) throw new NodeLockerClosed();
    if (this.started) return;
    const applicationName = this.prefix + this.host;
    if (Buffer.byteLength(applicationName) > APPLICATION_NAME_MAX_BYTES) {
      this.logger.warn('host name too long for application_name: reservations show it cut', {
        application_name: applicationName,
      });
    }
    this.session = await this.openSession();
    this.started = true;
  }

  /** Releases every lock (their signals abort with `NodeLockLost`) and ends the session. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    for (const lock of this.dropAll()) {
      lock.lose(new NodeLockLost(lock.nodeId, lock.node, undefined, 'closed'));
    }
    this.wakeAll();
    const session = this.session;
    this.session = undefined;
    await session?.close();
    await this.reconnecting;
  }

  /** Counts since start: locks taken, waits between tries, and NodeLocked refusals. */
  readonly stats = { acquisitions: 0, waits: 0, conflicts: 0 };

  /** Exclusive locks held now. */
  get held(): number {
    return this.entries.size - this.pendingCount;
  }

  /** The backend pid of the current lock session; undefined while reconnecting or closed. */
  get sessionPid(): number | undefined {
    return this.session?.pid;
  }

  /** Whether this conductor holds the exclusive lock of the node now. */
  holds(nodeId: number): boolean {
    const entry = this.entries.get(nodeId);
    return entry instanceof ExclusiveNodeLock;
  }

  /** Called when the lock session is lost, after every lock's signal aborted. Returns an unsubscribe. */
  onSessionLost(listener: (event: SessionLostEvent) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /**
   * Takes the node's exclusive lock, trying `retryAttempts` times `retryIntervalMs` apart. Fails
   * with `NodeLocked` naming the holder's host when the node stays locked, or with
   * `TemporaryFailure` when there is no database session to lock with. `attempts` overrides the
   * configured count for one call: periodic work passes 1 to skip a busy node without waiting.
   */
  async acquireExclusive(node: NodeRef, attempts = this.attempts): Promise<ExclusiveLock> {
    assertNodeId(node.id);
    if (!this.started) throw new Error('NodeLocker.start() must be called first');
    let last: Attempt = { kind: 'unavailable', error: undefined };
    let holderVanished = false;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new NodeLockerClosed();
      last = await this.tryOnce(node);
      if (last.kind === 'locked') {
        this.stats.acquisitions += 1;
        return last.lock;
      }
      if (last.kind === 'held' && last.holder === null && !holderVanished) {
        // The holder released between Postgres refusing and naming it: the node is free now.
        holderVanished = true;
        attempt--;
        continue;
      }
      if (attempt >= attempts) break;
      this.stats.waits += 1;
      await this.pause(node.id);
    }
    if (last.kind === 'held') {
      this.logger.debug('node locked', { node: node.ident, holder: last.holder });
      this.stats.conflicts += 1;
      throw new NodeLocked(node.ident, last.holder ?? 'unknown');
    }
    const cause = last.error ? ` (${last.error.message})` : '';
    throw new TemporaryFailure(
      `Node ${node.ident} could not be locked: conductor ${this.host} has no database session ` +
        `for node locks${cause}. Please retry.`,
    );
  }

  /** Runs `fn` under the node's exclusive lock and releases it however `fn` ends. */
  async withExclusiveLock<T>(
    node: NodeRef,
    fn: (lock: ExclusiveLock) => Promise<T> | T,
  ): Promise<T> {
    const lock = await this.acquireExclusive(node);
    try {
      return await fn(lock);
    } finally {
      await lock.release();
    }
  }

  /** Ironic's shared lock: takes nothing now, see {@link SharedLock}. */
  shared(node: NodeRef): SharedLock {
    assertNodeId(node.id);
    return new SharedNodeLock(node, (ref) => this.acquireExclusive(ref));
  }

  private async tryOnce(node: NodeRef): Promise<Attempt> {
    if (this.entries.has(node.id)) return { kind: 'held', holder: this.host };
    const session = this.session;
    if (!session || session.lost) {
      this.reconnectNow();
      return { kind: 'unavailable', error: undefined };
    }
    const pending: Pending = { pending: true };
    this.entries.set(node.id, pending);
    this.pendingCount++;
    let outcome;
    try {
      outcome = await session.tryLock(node.id);
    } catch (error) {
      return { kind: 'unavailable', error: error as Error };
    } finally {
      // A lost session already cleared the map (and the count).
      if (this.entries.get(node.id) === pending) {
        this.entries.delete(node.id);
        this.pendingCount--;
        this.wake(node.id);
      }
    }
    if (!outcome.ok) return { kind: 'held', holder: outcome.holder };
    if (session !== this.session || session.lost) return { kind: 'unavailable', error: undefined };
    if (outcome.epoch === null)
      throw new Error('lock session: a taken lock came without its epoch');
    const lock = new ExclusiveNodeLock(session, node, outcome.epoch, (held) => this.release(held));
    this.entries.set(node.id, lock);
    return { kind: 'locked', lock };
  }

  private async release(lock: ExclusiveNodeLock): Promise<void> {
    if (this.entries.get(lock.nodeId) !== lock) return; // lost or closed: nothing is held
    // The entry stays until Postgres has released, so no task of ours can lock in between.
    if (lock.session === this.session && !lock.session.lost) {
      try {
        await lock.session.unlock(lock.nodeId);
      } catch {
        // The session failed: losing it released everything, this lock included.
      }
    }
    if (this.entries.get(lock.nodeId) === lock) {
      this.entries.delete(lock.nodeId);
      this.wake(lock.nodeId);
    }
  }

  /** Waits out the retry interval; an in-process release of the node ends the wait early. */
  private pause(nodeId: number): Promise<void> {
    return new Promise((resolve) => {
      let waiters = this.wakers.get(nodeId);
      if (!waiters) this.wakers.set(nodeId, (waiters = new Set()));
      const set = waiters;
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.wakers.get(nodeId) === set) this.wakers.delete(nodeId);
        resolve();
      };
      const timer = setTimeout(done, this.intervalMs);
      set.add(done);
    });
  }

  private wake(nodeId: number): void {
    const waiters = this.wakers.get(nodeId);
    if (waiters) for (const done of [...waiters]) done();
  }

  private wakeAll(): void {
    for (const waiters of [...this.wakers.values()]) for (const done of [...waiters]) done();
  }

  private dropAll(): ExclusiveNodeLock[] {
    const held = this.heldLocks();
    this.entries.clear();
    this.pendingCount = 0;
    return held;
  }

  private heldLocks(): ExclusiveNodeLock[] {
    const held: ExclusiveNodeLock[] = [];
    for (const entry of this.entries.values()) {
      if (entry instanceof ExclusiveNodeLock) held.push(entry);
    }
    return held;
  }

  private openSession(): Promise<LockSession> {
    return LockSession.open({
      connectionString: this.options.connectionString,
      applicationName: this.prefix + this.host,
      applicationNamePrefix: this.prefix,
      keepAliveIdleMs: this.options.keepAliveIdleMs ?? 10_000,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 5_000,
      queryTimeoutMs: this.options.queryTimeoutMs ?? 10_000,
      onLost: (session, error) => this.sessionLost(session, error),
    });
  }

  /**
   * The session holding the locks is gone, and with it the locks in Postgres. The locks stay in
   * the map, suspended: the conductor's own tasks still see the nodes taken, fenced writes fail,
   * and the work under them goes on until the locks are taken back on the next session (or lost).
   */
  private sessionLost(session: LockSession, error: Error): void {
    if (session !== this.session || this.closed) return;
    this.session = undefined;
    const held = this.heldLocks();
    for (const lock of held) lock.suspend();
    const nodeIds = held.map((lock) => lock.nodeId);
    this.logger.warn('lost the node lock session; taking its locks back on reconnect', {
      error,
      pid: session.pid,
      nodes: nodeIds,
    });
    for (const listener of this.lostListeners) {
      try {
        listener({ error, nodeIds });
      } catch (listenerError) {
        this.logger.error('session-lost listener failed', { error: listenerError });
      }
    }
    this.wakeAll();
    this.reconnect();
  }

  /**
   * Takes a suspended lock back on the new session. It comes back only if the node's lock epoch
   * is exactly one above the lock's: every take bumps the epoch in the statement that takes the
   * lock, committed before the taker hears of it, so nobody else took the lock in between. Any
   * other outcome loses the lock, naming who took it.
   */
  private async takeBack(session: LockSession, lock: ExclusiveNodeLock): Promise<void> {
    let outcome;
    try {
      outcome = await session.tryLock(lock.nodeId);
    } catch {
      return; // this session is lost too: the lock stays suspended for the next one
    }
    const ours = this.entries.get(lock.nodeId) === lock;
    if (!ours || session !== this.session || session.lost) {
      // Released meanwhile, or the session went: nothing of this take may stay held.
      if (outcome.ok && !session.lost) await session.unlock(lock.nodeId).catch(() => undefined);
      return;
    }
    if (outcome.ok && outcome.epoch === lock.epoch + 1n) {
      lock.resume(session, outcome.epoch);
      this.logger.info('took a node lock back after losing its session', { node: lock.node });
      return;
    }
    if (outcome.ok) await session.unlock(lock.nodeId).catch(() => undefined);
    const reason = outcome.ok
      ? new NodeLockLost(lock.nodeId, lock.node, undefined, 'taken-meanwhile', {
          holder: outcome.previousHolder,
          host: this.host,
        })
      : new NodeLockLost(lock.nodeId, lock.node, undefined, 'taken', {
          holder: outcome.holder,
          host: this.host,
        });
    this.logger.warn('could not take a node lock back: another conductor held it', {
      node: lock.node,
      reason: reason.message,
    });
    if (this.entries.get(lock.nodeId) === lock) {
      this.entries.delete(lock.nodeId);
      this.wake(lock.nodeId);
    }
    lock.lose(reason);
  }

  /**
   * Someone needs a session now (a lock is asked for): the reconnect in its backoff tries at
   * once, so the first request after the database is back does not wait out the backoff.
   */
  private reconnectNow(): void {
    this.backoff?.abort();
  }

  private reconnect(): void {
    if (this.reconnecting || this.closed) return;
    const minDelay = this.options.reconnectMinDelayMs ?? 100;
    const maxDelay = this.options.reconnectMaxDelayMs ?? 5_000;
    // While locks wait to be taken back, every moment without a session is one in which another
    // conductor may take them: retry often (a refused connection costs nothing).
    const suspendedMaxDelay = Math.min(maxDelay, 500);
    this.reconnecting = (async () => {
      let delay = minDelay;
      while (!this.closed) {
        try {
          const session = await this.openSession();
          if (this.closed) {
            await session.close();
            return;
          }
          this.session = session;
          this.logger.info('node lock session reconnected', { pid: session.pid });
          const suspended = this.heldLocks().filter((lock) => lock.suspended);
          await Promise.all(suspended.map((lock) => this.takeBack(session, lock)));
          this.wakeAll();
          return;
        } catch (error) {
          this.logger.warn('node lock session: reconnect failed', { error, retry_in_ms: delay });
          // Jitter keeps conductors from reconnecting in lockstep after a database restart.
          const jittered = delay / 2 + (Math.random() * delay) / 2;
          this.backoff = new AbortController();
          const signal = AbortSignal.any([this.closing.signal, this.backoff.signal]);
          await sleep(jittered, undefined, { signal }).catch(() => undefined);
          this.backoff = undefined;
          const anySuspended = this.heldLocks().some((lock) => lock.suspended);
          delay = Math.min(delay * 2, anySuspended ? suspendedMaxDelay : maxDelay);
        }
      }
    })().finally(() => {
      this.reconnecting = undefined;
      // The new session was lost while taking locks back: its loss could not start a reconnect.
      if (!this.closed && !this.session) this.reconnect();
    });
  }
}
