/**
 * The reason a held lock's signal aborts: the lock is gone without its holder releasing it, so
 * the work under it must stop and must not write (fenced writes are rejected anyway).
 */
export class NodeLockLost extends Error {
  constructor(
    readonly nodeId: number,
    readonly node: string,
    cause: Error | undefined,
    why: 'session-lost' | 'closed' = 'session-lost',
  ) {
    super(
      why === 'closed'
        ? `the node locker closed while holding the lock on node ${node}; the lock is released`
        : `lost the database session holding the lock on node ${node}; the lock is no longer held` +
            (cause ? ` (${cause.message})` : ''),
      { cause },
    );
    this.name = 'NodeLockLost';
  }
}

/** Acquire or release after {@link NodeLocker.close}. */
export class NodeLockerClosed extends Error {
  constructor() {
    super('the node locker is closed');
    this.name = 'NodeLockerClosed';
  }
}
