import { NodeNotFound, StaleRequest } from '@galvanic/errors';
import { stillHeldSql, type ExclusiveLock } from '@galvanic/node-locks';

/**
 * Admits a call issued at `issuedAt` (epoch ms, the api's clock) to run on a node whose lock is
 * held: it records the newest issue time of the calls accepted for the node and refuses, with
 * `StaleRequest`, a call older than one already accepted, so a request delayed in a queue (its
 * conductor frozen, say) never undoes a later one. Fenced like every write under the lock.
 */
export async function admitRequest(
  pool: { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> },
  lock: ExclusiveLock,
  issuedAt: number,
): Promise<void> {
  const { rows } = await pool.query(
    `UPDATE nodes SET newest_request_issued_at = GREATEST(newest_request_issued_at, $3::bigint)
     WHERE id = $1 AND ${stillHeldSql('$1', '$2')}
     RETURNING newest_request_issued_at::text AS newest`,
    [lock.nodeId, lock.fenceToken, Math.trunc(issuedAt)],
  );
  const newest = (rows[0] as { newest: string } | undefined)?.newest;
  if (newest === undefined) {
    // Not written: the node is gone, or the lock was lost (the fence refused the write).
    if (lock.signal.aborted) throw lock.signal.reason as Error;
    throw new NodeNotFound(lock.node);
  }
  if (BigInt(newest) > BigInt(Math.trunc(issuedAt))) throw new StaleRequest(lock.node);
}
