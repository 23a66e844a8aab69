/**
 * The advisory-lock namespace of node locks: a node's exclusive lock is
 * `pg_try_advisory_lock(LOCK_NAMESPACE, node_id)`, the two-int4 form, which `pg_locks` shows as
 * `classid = LOCK_NAMESPACE, objid = node_id, objsubid = 2`. The value is 'GALV' in ASCII
 * (0x47414c56). The one-bigint form used elsewhere (the migration lock) shows `objsubid = 1`, so
 * the two can never collide.
 */
export const LOCK_NAMESPACE = 0x47414c56;

/** What a lock session's `application_name` starts with; the rest is the conductor's host name. */
export const DEFAULT_APPLICATION_NAME_PREFIX = 'galvanic-conductor:';

/** Postgres keeps the first 63 bytes of `application_name` (NAMEDATALEN - 1). */
export const APPLICATION_NAME_MAX_BYTES = 63;

/** A node id usable as the second int4 key, and shown by `pg_locks.objid` (an oid) unchanged. */
export function assertNodeId(nodeId: number): void {
  if (!Number.isInteger(nodeId) || nodeId < 0 || nodeId > 0x7fffffff) {
    throw new TypeError(`node lock: node id must be an integer in [0, 2^31), got ${nodeId}`);
  }
}

export function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Granted node locks of the current database only: advisory locks are per database. The holder's
 * session is read with `pg_stat_get_activity(pid)` for the few lock rows only; joining the
 * `pg_stat_activity` view instead builds a row for every backend and made this several times
 * slower (0.66 ms against 0.2 ms a lookup here).
 */
const NODE_LOCKS_FROM = `pg_locks l
  CROSS JOIN LATERAL pg_stat_get_activity(l.pid) a
  WHERE l.locktype = 'advisory'
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = ${LOCK_NAMESPACE}
    AND l.objsubid = 2
    AND l.granted`;

function hostExpr(prefix: string): string {
  const literal = sqlLiteral(prefix);
  return `CASE WHEN left(a.application_name, length(${literal})) = ${literal}
    THEN substr(a.application_name, length(${literal}) + 1)
    ELSE a.application_name END`;
}

/**
 * A SELECT of `(node_id bigint, host text)`: every node whose exclusive lock is held right now in
 * this database, and the host of the conductor holding it. It reads `pg_locks` once, so use it as
 * a CTE joined to a node list rather than as a per-row subquery:
 *
 *     WITH reservations AS (${reservationsSql()})
 *     SELECT n.*, r.host AS reservation FROM nodes n LEFT JOIN reservations r ON r.node_id = n.id
 */
export function reservationsSql(applicationNamePrefix = DEFAULT_APPLICATION_NAME_PREFIX): string {
  return `SELECT l.objid::bigint AS node_id, ${hostExpr(applicationNamePrefix)} AS host
  FROM ${NODE_LOCKS_FROM}`;
}

/** {@link reservationsSql} for conductors using the default `application_name` prefix. */
export const RESERVATIONS_SQL = reservationsSql();

/**
 * A scalar subquery: the host holding the exclusive lock of the node whose id is the SQL
 * expression `nodeIdExpr` (e.g. `n.id`), or NULL. For one node per row, where a CTE over all
 * locks would be wasted work.
 */
export function reservationColumnSql(
  nodeIdExpr: string,
  applicationNamePrefix = DEFAULT_APPLICATION_NAME_PREFIX,
): string {
  return `(SELECT ${hostExpr(applicationNamePrefix)} FROM ${NODE_LOCKS_FROM}
    AND l.objid = (${nodeIdExpr})::bigint::oid LIMIT 1)`;
}

/**
 * A boolean SQL predicate that is true only while the lock session identified by `fenceParam`
 * still holds the exclusive lock of the node `nodeIdParam`. Both arguments are placeholders (or
 * any SQL expressions) of the statement it goes into: the node id, and the lock's `fenceToken`
 * (text).
 *
 * Add it to every UPDATE made under an exclusive lock: a write from work whose lock was lost (its
 * session died, another conductor took the node) then changes nothing, even when the abort of its
 * signal has not reached that work yet.
 *
 *     UPDATE nodes SET provision_state = $1 WHERE id = $2 AND ${stillHeldSql('$2', '$3')}
 *     -- values: [state, lock.nodeId, lock.fenceToken]
 *
 * The token names the session by pid and start time, so a recycled pid cannot pass the fence.
 */
export function stillHeldSql(nodeIdParam: string, fenceParam: string): string {
  return `EXISTS (SELECT 1 FROM ${NODE_LOCKS_FROM}
    AND l.objid = (${nodeIdParam})::bigint::oid
    AND l.pid::text || ':' || ${BACKEND_START_MICROS} = (${fenceParam})::text)`;
}

const BACKEND_START_MICROS = `(extract(epoch FROM a.backend_start) * 1000000)::bigint::text`;

/**
 * Run once on a new lock session: its fence token, server-side keepalives, and synchronous
 * commit, so a lock epoch a taker was told of survives a database crash.
 */
export function sessionSetupSql(keepaliveIdleSeconds: number): string {
  const idle = Math.max(1, Math.round(keepaliveIdleSeconds));
  return `SELECT a.pid::text || ':' || ${BACKEND_START_MICROS} AS token,
    set_config('tcp_keepalives_idle', '${idle}', false),
    set_config('tcp_keepalives_interval', '${Math.max(1, Math.round(idle / 2))}', false),
    set_config('tcp_keepalives_count', '3', false),
    set_config('synchronous_commit', 'on', false)
  FROM pg_stat_activity a WHERE a.pid = pg_backend_pid()`;
}

/**
 * Every successful take of a node's lock adds one to the node's lock epoch, in the statement that
 * takes it, committed before the taker learns it holds the lock. A holder that lost its session
 * and takes the lock again finds the epoch one above its own only if nobody else held the lock in
 * between: that is the proof that lets its work go on (see the package README).
 */
export const LOCK_EPOCHS_TABLE = 'node_lock_epochs';

/** The epoch table; `pnpm db:migrate` creates it (packages/db), tests create it with this. */
export const CREATE_LOCK_EPOCHS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS ${LOCK_EPOCHS_TABLE} (
  node_id integer PRIMARY KEY,
  epoch bigint NOT NULL,
  holder text NOT NULL DEFAULT ''
)`;

/** Bumps the epoch of the nodes of `takenFrom` (a CTE with `node` and a true `ok` for a take). */
function bumpEpochs(takenFrom: string, condition: string): string {
  return `INSERT INTO ${LOCK_EPOCHS_TABLE} AS x (node_id, epoch, holder)
      SELECT node, 1, current_setting('application_name') FROM ${takenFrom} WHERE ${condition}
      ON CONFLICT (node_id) DO UPDATE SET epoch = x.epoch + 1, holder = EXCLUDED.holder
      RETURNING x.node_id, x.epoch`;
}

/**
 * One statement for a batch of lock and unlock operations on distinct nodes, in order. For a
 * failed lock it also names the holder, read in the same statement so it cannot have left in
 * between; for a successful one it returns the node's new lock epoch and the host that held the
 * lock last before (as the epoch table knew it). The subquery has OFFSET 0 so each lock function
 * runs exactly once per row.
 */
export function batchSql(applicationNamePrefix: string): string {
  return `WITH t AS MATERIALIZED (
    SELECT u.node, u.lock, u.i,
      CASE WHEN u.lock THEN pg_try_advisory_lock(${LOCK_NAMESPACE}, u.node)
        ELSE pg_advisory_unlock(${LOCK_NAMESPACE}, u.node) END AS ok
    FROM unnest($1::int4[], $2::bool[]) WITH ORDINALITY AS u(node, lock, i)
    ORDER BY u.i OFFSET 0
  ), e AS (${bumpEpochs('t', 't.lock AND t.ok')})
  SELECT t.ok,
    CASE WHEN t.lock AND NOT t.ok THEN (
      SELECT ${hostExpr(applicationNamePrefix)} FROM ${NODE_LOCKS_FROM}
        AND l.objid = t.node::oid AND l.pid <> pg_backend_pid() LIMIT 1)
    END AS holder,
    e.epoch::text AS epoch,
    ${previousHolderExpr(applicationNamePrefix, 't.node')} AS previous_holder
  FROM t LEFT JOIN e ON t.lock AND e.node_id = t.node
  ORDER BY t.i`;
}

/** {@link batchSql} for the usual batch of one lock: no arrays to build and unpack. */
export function lockOneSql(applicationNamePrefix: string): string {
  return `WITH t AS MATERIALIZED (
    SELECT $1::int4 AS node, pg_try_advisory_lock(${LOCK_NAMESPACE}, $1::int4) AS ok OFFSET 0
  ), e AS (${bumpEpochs('t', 't.ok')})
  SELECT t.ok,
    CASE WHEN NOT t.ok THEN (
      SELECT ${hostExpr(applicationNamePrefix)} FROM ${NODE_LOCKS_FROM}
        AND l.objid = $1::int4::oid AND l.pid <> pg_backend_pid() LIMIT 1)
    END AS holder,
    (SELECT e.epoch::text FROM e) AS epoch,
    ${previousHolderExpr(applicationNamePrefix, 't.node')} AS previous_holder
  FROM t`;
}

/** The epoch table's holder before this statement (statements see rows as they were before). */
function previousHolderExpr(applicationNamePrefix: string, nodeExpr: string): string {
  const literal = sqlLiteral(applicationNamePrefix);
  return `(SELECT CASE WHEN left(p.holder, length(${literal})) = ${literal}
      THEN substr(p.holder, length(${literal}) + 1) ELSE p.holder END
    FROM ${LOCK_EPOCHS_TABLE} p WHERE p.node_id = ${nodeExpr})`;
}

export const UNLOCK_ONE_SQL = `SELECT pg_advisory_unlock(${LOCK_NAMESPACE}, $1::int4), NULL, NULL, NULL`;

export const UNLOCK_ALL_SQL = 'SELECT pg_advisory_unlock_all()';
