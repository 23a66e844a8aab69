import type { NodeStore, NodeWithPorts } from '@galvanic/db';
import { NodeNotFound, StaleRequest } from '@galvanic/errors';
import type { ExclusiveLock } from '@galvanic/node-locks';

/**
 * Admits a call issued at `issuedAt` (epoch ms, the api's clock) to run on a node whose lock is
 * held: it records the newest issue time of the calls accepted for the node and refuses, with
 * `StaleRequest`, a call older than one already accepted, so a request delayed in a queue (its
 * conductor frozen, say) never undoes a later one. Fenced like every write under the lock.
 * Resolves with the node and its ports as they are now.
 */
export async function admitRequest(
  store: NodeStore,
  lock: ExclusiveLock,
  issuedAt: number,
): Promise<NodeWithPorts> {
  const loaded = await loadRecordingIssue(store, lock, issuedAt);
  refuseIfStale(lock, issuedAt, loaded);
  return loaded;
}

/**
 * Loads the node and its ports and records `issuedAt` in the same round trip (every call under
 * a lock needs the node next), leaving the verdict to {@link refuseIfStale}: a caller may first
 * refuse the call for another reason, such as a node it does not own.
 */
export async function loadRecordingIssue(
  store: NodeStore,
  lock: ExclusiveLock,
  issuedAt: number,
): Promise<NodeWithPorts & { newestIssuedAt: bigint }> {
  const loaded = await store.getWithPortsAdmitting(lock.nodeId, lock.fenceToken, issuedAt);
  if (!loaded) throw new NodeNotFound(lock.node);
  const { newestIssuedAt } = loaded;
  if (newestIssuedAt === undefined) {
    // Not written: the lock was lost (the fence refused the write).
    if (lock.signal.aborted) throw lock.signal.reason as Error;
    throw new NodeNotFound(lock.node);
  }
  return { ...loaded, newestIssuedAt };
}

/** StaleRequest for a call older than the newest one recorded for its node. */
export function refuseIfStale(
  lock: ExclusiveLock,
  issuedAt: number,
  recorded: { newestIssuedAt: bigint },
): void {
  if (recorded.newestIssuedAt > BigInt(Math.trunc(issuedAt))) throw new StaleRequest(lock.node);
}
