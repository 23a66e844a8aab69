import { DEFAULT_APPLICATION_NAME_PREFIX, reservationsSql } from './node-lock-sql';

/**
 * Anything that runs a parameterized query with `$n` placeholders: a `pg` Pool, Client or
 * PoolClient (which resolve to a result with `rows`), or a TypeORM DataSource or QueryRunner
 * (which resolve to the rows).
 */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

interface ReservationRow {
  node_id: string | number;
  host: string;
}

function rowsOf(result: unknown): ReservationRow[] {
  if (Array.isArray(result)) return result as ReservationRow[];
  const rows = (result as { rows?: unknown } | null)?.rows;
  if (Array.isArray(rows)) return rows as ReservationRow[];
  throw new TypeError('reservationsOf: the query returned neither rows nor a result with rows');
}

/**
 * The host holding each node's exclusive lock now, for Ironic's `reservation` field: nodes that
 * nobody holds are absent from the map. One query, whatever the number of nodes.
 */
export async function reservationsOf(
  queryable: Queryable,
  nodeIds: readonly number[],
  applicationNamePrefix = DEFAULT_APPLICATION_NAME_PREFIX,
): Promise<Map<number, string>> {
  const reservations = new Map<number, string>();
  if (nodeIds.length === 0) return reservations;
  const result = await queryable.query(
    `SELECT r.node_id, r.host FROM (${reservationsSql(applicationNamePrefix)}) r
     WHERE r.node_id = ANY($1::bigint[])`,
    [nodeIds],
  );
  for (const row of rowsOf(result)) reservations.set(Number(row.node_id), row.host);
  return reservations;
}

/** The host holding the node's exclusive lock now, or null. */
export async function reservationOf(
  queryable: Queryable,
  nodeId: number,
  applicationNamePrefix = DEFAULT_APPLICATION_NAME_PREFIX,
): Promise<string | null> {
  const reservations = await reservationsOf(queryable, [nodeId], applicationNamePrefix);
  return reservations.get(nodeId) ?? null;
}
