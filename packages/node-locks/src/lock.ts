import type { LockSession } from './session';

/** The node a lock is for: its integer id keys the lock, its ident (UUID or name) names it in errors. */
export interface NodeRef {
  readonly id: number;
  readonly ident: string;
}

/** A node's exclusive lock, held by this conductor until released or lost. */
export interface ExclusiveLock {
  readonly nodeId: number;
  readonly node: string;
  /**
   * Aborts, with a {@link NodeLockLost} reason, when the lock is gone without `release()`: the
   * database session holding it was lost, or the locker closed. Not aborted by `release()`.
   */
  readonly signal: AbortSignal;
  /**
   * The value for the fence parameter of `stillHeldSql`: names the session holding the lock. It
   * changes when the lock is taken back on a new session after the old one was lost.
   */
  readonly fenceToken: string;
  /** False once released or lost. */
  readonly held: boolean;
  /**
   * True while the session holding the lock is lost and the lock is not yet taken back: fenced
   * writes fail meanwhile. The lock then either comes back (on a new session, with no one else
   * having held it) or is lost (`signal` aborts).
   */
  readonly suspended: boolean;
  /**
   * Resolves when the lock is held on a live session (at once unless suspended); rejects with
   * the `NodeLockLost` reason if it is lost instead, or with `signal`'s reason.
   */
  whenHeld(signal?: AbortSignal): Promise<void>;
  /** Releases the lock; idempotent, never rejects, a no-op once the lock was lost. */
  release(): Promise<void>;
}

/**
 * Ironic's shared lock, for work that only reads: it takes nothing in Postgres, so it neither waits
 * for nor blocks an exclusive holder.
 */
export interface SharedLock {
  readonly nodeId: number;
  readonly node: string;
  /**
   * Takes the exclusive lock, contending (with retries, then `NodeLocked`) like any exclusive
   * request. While the resulting lock is held, upgrading again returns it.
   */
  upgrade(): Promise<ExclusiveLock>;
}

export class ExclusiveNodeLock implements ExclusiveLock {
  private readonly controller = new AbortController();
  private releasing: Promise<void> | undefined;
  private resumed: { promise: Promise<void>; settle: () => void } | undefined;

  constructor(
    private current: LockSession,
    private readonly ref: NodeRef,
    /** The node's lock epoch as this lock took it: see `LOCK_EPOCHS_TABLE`. */
    private currentEpoch: bigint,
    private readonly releaseFn: (lock: ExclusiveNodeLock) => Promise<void>,
  ) {}

  get session(): LockSession {
    return this.current;
  }
  get epoch(): bigint {
    return this.currentEpoch;
  }
  get nodeId(): number {
    return this.ref.id;
  }
  get node(): string {
    return this.ref.ident;
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  get fenceToken(): string {
    return this.current.fenceToken;
  }
  get held(): boolean {
    return this.releasing === undefined && !this.controller.signal.aborted;
  }
  get suspended(): boolean {
    return this.resumed !== undefined;
  }

  release(): Promise<void> {
    this.releasing ??= this.releaseFn(this);
    this.settleWaiters();
    return this.releasing;
  }

  async whenHeld(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.controller.signal.aborted) throw this.controller.signal.reason as Error;
      if (this.releasing) throw new Error(`the lock on node ${this.node} was released`);
      if (!this.resumed) return;
      const waiting = this.resumed.promise;
      if (!signal) {
        await waiting;
        continue;
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal.reason as Error);
        signal.addEventListener('abort', onAbort, { once: true });
        void waiting.then(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }

  /** Called by the locker when the session holding the lock is lost. */
  suspend(): void {
    if (this.resumed || !this.held) return;
    let settle!: () => void;
    const promise = new Promise<void>((resolve) => (settle = resolve));
    this.resumed = { promise, settle };
  }

  /** Called by the locker once the lock is taken again on `session`, no one else having held it. */
  resume(session: LockSession, epoch: bigint): void {
    this.current = session;
    this.currentEpoch = epoch;
    this.settleWaiters();
  }

  /** Called by the locker when the lock is gone; a lock being released is not aborted. */
  lose(reason: Error): void {
    if (this.releasing === undefined) this.controller.abort(reason);
    this.settleWaiters();
  }

  private settleWaiters(): void {
    const resumed = this.resumed;
    this.resumed = undefined;
    resumed?.settle();
  }
}

export class SharedNodeLock implements SharedLock {
  private exclusive: ExclusiveLock | undefined;

  constructor(
    private readonly ref: NodeRef,
    private readonly acquire: (ref: NodeRef) => Promise<ExclusiveLock>,
  ) {}

  get nodeId(): number {
    return this.ref.id;
  }
  get node(): string {
    return this.ref.ident;
  }

  async upgrade(): Promise<ExclusiveLock> {
    if (this.exclusive?.held) return this.exclusive;
    this.exclusive = await this.acquire(this.ref);
    return this.exclusive;
  }
}
