/**
 * Why a held lock was lost:
 * - `closed`: the locker closed;
 * - `taken`: its session was lost and, when it could take the lock again, another conductor held
 *   it (`holder`);
 * - `taken-meanwhile`: its session was lost and it took the lock again, but the lock epoch shows
 *   another conductor (`holder`, when known) held it in between;
 * - `session-lost`: its session was lost and nothing more is known.
 */
export type NodeLockLossKind = 'session-lost' | 'closed' | 'taken' | 'taken-meanwhile';

/**
 * The reason a held lock's signal aborts: the lock is gone without its holder releasing it, so
 * the work under it must stop and must not write (fenced writes are rejected anyway).
 */
export class NodeLockLost extends Error {
  /** Who took the lock, for `taken` and `taken-meanwhile`, when known. */
  readonly holder: string | null;

  constructor(
    readonly nodeId: number,
    readonly node: string,
    cause: Error | undefined,
    readonly why: NodeLockLossKind = 'session-lost',
    who: { holder?: string | null; host?: string } = {},
  ) {
    super(lossMessage(node, why, who.host, who.holder ?? null, cause), { cause });
    this.holder = who.holder ?? null;
    this.name = 'NodeLockLost';
  }
}

function lossMessage(
  node: string,
  why: NodeLockLossKind,
  host: string | undefined,
  holder: string | null,
  cause: Error | undefined,
): string {
  const other = holder ? `conductor ${holder}` : 'another conductor';
  const self = host ? `Conductor ${host}` : 'The conductor';
  switch (why) {
    case 'closed':
      return `the node locker closed while holding the lock on node ${node}; the lock is released`;
    case 'taken':
      return (
        `${self} lost its database session holding the lock on node ${node}, and ${other} ` +
        `took the node's lock before it could take it back; the operation was stopped.`
      );
    case 'taken-meanwhile':
      return (
        `${self} lost its database session holding the lock on node ${node}, and ${other} ` +
        `held the node's lock before it could take it back; the operation was stopped.`
      );
    case 'session-lost':
      return (
        `lost the database session holding the lock on node ${node}; the lock is no longer held` +
        (cause ? ` (${cause.message})` : '')
      );
  }
}

/** Acquire or release after {@link NodeLocker.close}. */
export class NodeLockerClosed extends Error {
  constructor() {
    super('the node locker is closed');
    this.name = 'NodeLockerClosed';
  }
}
