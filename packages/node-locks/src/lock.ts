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
  /** The value for the fence parameter of `stillHeldSql`: names the session holding the lock. */
  readonly fenceToken: string;
  /** False once released or lost. */
  readonly held: boolean;
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

  constructor(
    readonly session: LockSession,
    private readonly ref: NodeRef,
    private readonly releaseFn: (lock: ExclusiveNodeLock) => Promise<void>,
  ) {}

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
    return this.session.fenceToken;
  }
  get held(): boolean {
    return this.releasing === undefined && !this.controller.signal.aborted;
  }

  release(): Promise<void> {
    this.releasing ??= this.releaseFn(this);
    return this.releasing;
  }

  /** Called by the locker when the lock is gone; a lock being released is not aborted. */
  lose(reason: Error): void {
    if (this.releasing === undefined) this.controller.abort(reason);
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
