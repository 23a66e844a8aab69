import type { NodeStore } from '@galvanic/db';
import { NodeNotFound, StaleRequest } from '@galvanic/errors';
import type { ExclusiveLock } from '@galvanic/node-locks';

/**
 * Admits a call issued at `issuedAt` (epoch ms, the api's clock) to run on a node whose lock is
 * held: it records the newest issue time of the calls accepted for the node and refuses, with
 * `StaleRequest`, a call older than one already accepted, so a request delayed in a queue (its
 * conductor frozen, say) never undoes a later one. Fenced like every write under the lock.
 */
export async function admitRequest(
  store: NodeStore,
  lock: ExclusiveLock,
  issuedAt: number,
): Promise<void> {
  const newest = await store.recordRequestIssuedAt(lock.nodeId, lock.fenceToken, issuedAt);
  if (newest === undefined) {
    // Not written: the node is gone, or the lock was lost (the fence refused the write).
    if (lock.signal.aborted) throw lock.signal.reason as Error;
    throw new NodeNotFound(lock.node);
  }
  if (newest > BigInt(Math.trunc(issuedAt))) throw new StaleRequest(lock.node);
}
