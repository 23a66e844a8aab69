import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { Conflict, DuplicateName, InvalidParameterValue } from '@galvanic/errors';
import { poolOf } from './data-source';
import { RESERVATIONS_SQL, reservationColumnSql, stillHeldSql } from './node-lock-sql';
import { reservationsOf } from './reservations';

/** A node as stored: Ironic's field names are the column names. */
export interface NodeRow {
  id: number;
  uuid: string;
  name: string | null;
  driver: string;
  driver_info: Record<string, unknown>;
  driver_internal_info: Record<string, unknown>;
  instance_info: Record<string, unknown>;
  properties: Record<string, unknown>;
  extra: Record<string, unknown>;
  network_data: Record<string, unknown>;
  raid_config: Record<string, unknown>;
  target_raid_config: Record<string, unknown>;
  clean_step: Record<string, unknown>;
  deploy_step: Record<string, unknown>;
  service_step: Record<string, unknown>;
  traits: string[];
  bios_interface: string | null;
  boot_interface: string | null;
  console_interface: string | null;
  deploy_interface: string | null;
  firmware_interface: string | null;
  inspect_interface: string | null;
  management_interface: string | null;
  network_interface: string | null;
  power_interface: string | null;
  raid_interface: string | null;
  rescue_interface: string | null;
  storage_interface: string | null;
  vendor_interface: string | null;
  power_state: string | null;
  target_power_state: string | null;
  provision_state: string;
  target_provision_state: string | null;
  provision_updated_at: Date | null;
  last_error: string | null;
  maintenance: boolean;
  maintenance_reason: string | null;
  fault: string | null;
  console_enabled: boolean;
  instance_uuid: string | null;
  /** The allocation the node is reserved for, if any. */
  allocation_id: number | null;
  conductor_group: string;
  owner: string | null;
  lessee: string | null;
  resource_class: string | null;
  description: string | null;
  automated_clean: boolean | null;
  protected: boolean;
  protected_reason: string | null;
  retired: boolean;
  retired_reason: string | null;
  boot_mode: string | null;
  secure_boot: boolean | null;
  shard: string | null;
  /** The UUID of the node this one belongs to (Ironic's 1.83 child nodes). */
  parent_node: string | null;
  instance_name: string | null;
  /** Galvanic never powers the node off (Ironic's 1.95): it reboots instead. */
  disable_power_off: boolean;
  /** The chassis the node is in, if any. */
  chassis_id: number | null;
  inspection_started_at: Date | null;
  inspection_finished_at: Date | null;
  created_at: Date;
  updated_at: Date | null;
  /** The host holding the node's lock now; present when the store reads reservations. */
  reservation?: string | null;
}

/** Columns a caller may set (everything but the id and the timestamps the store keeps). */
export type NodeFields = Partial<Omit<NodeRow, 'id' | 'created_at' | 'updated_at' | 'reservation'>>;

/**
 * Every column a create or update may name. Column names in SQL come only from this list, never
 * from the keys of what a caller passed: a key not listed is refused before any SQL is built.
 */
export const NODE_COLUMNS = [
  'uuid',
  'name',
  'driver',
  'driver_info',
  'driver_internal_info',
  'instance_info',
  'properties',
  'extra',
  'network_data',
  'raid_config',
  'target_raid_config',
  'clean_step',
  'deploy_step',
  'service_step',
  'traits',
  'bios_interface',
  'boot_interface',
  'console_interface',
  'deploy_interface',
  'firmware_interface',
  'inspect_interface',
  'management_interface',
  'network_interface',
  'power_interface',
  'raid_interface',
  'rescue_interface',
  'storage_interface',
  'vendor_interface',
  'power_state',
  'target_power_state',
  'provision_state',
  'target_provision_state',
  'provision_updated_at',
  'last_error',
  'maintenance',
  'maintenance_reason',
  'fault',
  'console_enabled',
  'instance_uuid',
  'allocation_id',
  'conductor_group',
  'owner',
  'lessee',
  'resource_class',
  'description',
  'automated_clean',
  'protected',
  'protected_reason',
  'retired',
  'retired_reason',
  'boot_mode',
  'secure_boot',
  'shard',
  'parent_node',
  'instance_name',
  'disable_power_off',
  'chassis_id',
  'inspection_started_at',
  'inspection_finished_at',
] as const satisfies readonly (keyof NodeFields)[];
export type NodeColumn = (typeof NODE_COLUMNS)[number];

// Compile-time check that the list names every settable column: adding a field to NodeRow
// without listing it here fails the type check.
type MissingNodeColumns = Exclude<keyof NodeFields, NodeColumn>;
const everyNodeColumnListed: [MissingNodeColumns] extends [never] ? true : MissingNodeColumns =
  true;
void everyNodeColumnListed;

const NODE_COLUMN_SET: ReadonlySet<string> = new Set(NODE_COLUMNS);

const JSON_COLUMNS = new Set([
  'driver_info',
  'driver_internal_info',
  'instance_info',
  'properties',
  'extra',
  'network_data',
  'raid_config',
  'target_raid_config',
  'clean_step',
  'deploy_step',
  'service_step',
  'traits',
]);

/** Columns a list may be sorted by, as Ironic allows. */
export const NODE_SORT_KEYS = [
  'id',
  'uuid',
  'name',
  'created_at',
  'updated_at',
  'provision_state',
  'power_state',
  'driver',
  'maintenance',
  'conductor_group',
  'owner',
  'lessee',
  'resource_class',
  'instance_uuid',
  'provision_updated_at',
] as const;
export type NodeSortKey = (typeof NODE_SORT_KEYS)[number];

/** Equality filters of `GET /v1/nodes`. */
export interface NodeFilters {
  driver?: string;
  provision_state?: string;
  maintenance?: boolean;
  conductor_group?: string;
  owner?: string;
  lessee?: string;
  resource_class?: string;
  instance_uuid?: string;
  associated?: boolean;
  fault?: string;
  retired?: boolean;
  shard?: string;
  description_contains?: string;
  instance_name?: string;
  /** Only the children of this node (its UUID); children are left out of lists otherwise. */
  parent_node?: string;
  /** Lists leave out child nodes unless this is set or `parent_node` names their parent. */
  include_children?: boolean;
  /** Only the nodes with (true) or without (false) a shard. */
  sharded?: boolean;
  /** Only the nodes in this chassis. */
  chassis_id?: number;
  /** Only the nodes this project owns or leases (Ironic's `project` filter, set by policy). */
  project?: string;
}

/** A node as {@link NodeStore.listVersions} reads it. */
export type NodeVersion = Pick<
  NodeRow,
  'id' | 'uuid' | 'driver' | 'conductor_group' | 'owner' | 'lessee' | 'reservation'
> & {
  /** Changes with every write of the node's row. */
  row_version: string;
};

/**
 * A node row's version: `xmin`, the transaction that wrote this version of the row, and the
 * row's `updated_at` (every write through the API sets it), so that a database restored from a
 * backup, which hands out transaction ids again, cannot give an older rendering's version to a
 * newer row.
 */
const ROW_VERSION_SQL =
  "n.xmin::text || '/' || coalesce((extract(epoch FROM n.updated_at) * 1000000)::bigint::text, '')";

const NODE_VERSION_COLUMNS = `n.id, n.uuid, n.driver, n.conductor_group, n.owner, n.lessee, ${ROW_VERSION_SQL} AS row_version`;

export interface NodeListQuery {
  filters: NodeFilters;
  limit: number;
  /** The node after which the page starts. */
  marker?: NodeRow;
  sortKey: NodeSortKey;
  sortDir: 'asc' | 'desc';
  /**
   * Return each node's `reservation` (the host holding its lock now) in the same statement; only
   * for a store made `withReservations`.
   */
  withReservations?: boolean;
}

/**
 * An extra SQL condition on a write, such as "the lock on this node is still ours". It receives
 * `bind`, which adds a parameter and returns its placeholder; the node id is always `$1`.
 */
export type SqlFence = (bind: (value: unknown) => string) => string;

/** A port as a driver needs it. */
export interface NodePortRow {
  uuid: string;
  address: string;
  pxe_enabled: boolean;
}

/** A node with the ports a task on it needs. */
export interface NodeWithPorts {
  node: NodeRow;
  ports: NodePortRow[];
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === constraint;
}

function binder(params: unknown[]): (value: unknown) => string {
  return (value) => {
    params.push(value);
    return `$${params.length}`;
  };
}

function encode(column: string, value: unknown): unknown {
  return JSON_COLUMNS.has(column) ? JSON.stringify(value) : value;
}

/**
 * The columns `fields` sets, each checked against NODE_COLUMNS and quoted: any other key (a
 * typo, or SQL smuggled in as a key) is refused without touching the database.
 */
function settableColumns(fields: object): { column: NodeColumn; quoted: string; value: unknown }[] {
  const values = fields as Record<string, unknown>;
  return Object.keys(values)
    .filter((key) => values[key] !== undefined)
    .map((key) => {
      if (!NODE_COLUMN_SET.has(key)) {
        throw new InvalidParameterValue(`Nodes have no settable field ${JSON.stringify(key)}.`);
      }
      return { column: key as NodeColumn, quoted: `"${key}"`, value: encode(key, values[key]) };
    });
}

const NODE_SORT_KEY_SET: ReadonlySet<string> = new Set<string>(NODE_SORT_KEYS);

export interface NodeStoreOptions {
  /** Reads of one node return `reservation`, the host holding its lock now, in the same statement. */
  withReservations?: boolean;
  /**
   * SQL of a column holding the host that has the node's lock now, given the node id expression;
   * when given, reads return it as `reservation` in the same statement. Defaults to the node
   * locks' own when `withReservations` is set.
   */
  reservationSql?: (nodeIdExpr: string) => string;
}

/**
 * The fence of a write under a node's exclusive lock: the write applies only while the lock
 * session named by `fenceToken` (the lock's) still holds the node's lock.
 */
export function heldLockFence(fenceToken: string): SqlFence {
  return (bind) => stillHeldSql('$1', bind(fenceToken));
}

/** A node the power-state sync may read, and whether anyone holds its lock now. */
export interface PowerSyncCandidate {
  id: number;
  uuid: string;
  driver: string;
  conductor_group: string;
  locked: boolean;
}

/** A node found with nobody holding its lock. */
export interface UnlockedNode {
  id: number;
  uuid: string;
}

/**
 * How many UPDATE shapes (column sets and fence) a store prepares: the ones the conductor's work
 * repeats fit many times over; arbitrary PATCHes past it are planned each time, so a connection
 * never keeps an unbounded number of plans.
 */
const MAX_PREPARED_UPDATES = 64;

/** A select-list column: the ports of node `n` as a task needs them, as JSON (see NodePortRow). */
const PORTS_JSON_COLUMN = `COALESCE((SELECT json_agg(json_build_object(
    'uuid', p.uuid, 'address', p.address, 'pxe_enabled', p.pxe_enabled) ORDER BY p.id)
  FROM ports p WHERE p.node_id = n.id), '[]') AS ports_json`;

/** PostgreSQL's refusal of a prepared statement whose columns changed since it was prepared. */
function isStalePreparedStatement(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: string }).code === '0A000' &&
    error.message.includes('cached plan must not change result type')
  );
}

/** Nodes in PostgreSQL, by plain SQL on the hot paths. */
export class NodeStore {
  private readonly pool: pg.Pool;
  private readonly selectList: string;
  /** Names prepared statements apart when two stores select differently on one pool. */
  private readonly statementPrefix: string;
  /** The reservations CTE a list joins when asked to, for a store made `withReservations`. */
  private readonly listReservationsSql: string | undefined;
  /** Bumped when prepared statements went stale; part of every statement's name after that. */
  private statementGeneration = 0;
  /** UPDATE texts prepared so far, with their statement names. */
  private readonly updateNames = new Map<string, string>();

  constructor(dataSource: DataSource, options: NodeStoreOptions = {}) {
    this.pool = poolOf(dataSource);
    const reservationSql =
      options.reservationSql ??
      (options.withReservations ? (id: string) => reservationColumnSql(id) : undefined);
    this.selectList = reservationSql ? `n.*, ${reservationSql('n.id')} AS reservation` : 'n.*';
    this.statementPrefix = reservationSql ? 'node_with_reservation' : 'node';
    this.listReservationsSql =
      options.withReservations && !options.reservationSql ? RESERVATIONS_SQL : undefined;
  }

  private async rows(sql: string, params: unknown[]): Promise<NodeRow[]> {
    return (await this.pool.query<NodeRow>(sql, params)).rows;
  }

  /**
   * A statement run often with the same text: prepared once per connection under `name`, so
   * PostgreSQL does not parse and plan it (with its lock-table subquery) on every call.
   */
  private async prepared(name: string, text: string, values: unknown[]): Promise<NodeRow[]> {
    const generation = this.statementGeneration;
    try {
      return (await this.pool.query<NodeRow>({ name: this.generationName(name), text, values }))
        .rows;
    } catch (error) {
      if (!isStalePreparedStatement(error)) throw error;
      // A migration changed the table under statements prepared before it: their result type is
      // fixed, and PostgreSQL refuses them on every connection from now on. Prepare afresh under
      // new names (the stale ones stay unused until their connections close).
      if (this.statementGeneration === generation) this.statementGeneration += 1;
      return (await this.pool.query<NodeRow>({ name: this.generationName(name), text, values }))
        .rows;
    }
  }

  /** A statement's name in the current generation of prepared statements. */
  private generationName(name: string): string {
    return this.statementGeneration === 0 ? name : `${name}_g${this.statementGeneration}`;
  }

  /**
   * The name an UPDATE's text is prepared under, or undefined past {@link MAX_PREPARED_UPDATES}
   * shapes. Work under a lock writes the same few column sets over and over, and planning the
   * fence's lock-table subquery cost PostgreSQL about as much as running the statement. Named by
   * a digest of the text, so stores sharing a pool never give one name two texts.
   */
  private updateStatementName(text: string): string | undefined {
    let name = this.updateNames.get(text);
    if (name === undefined && this.updateNames.size < MAX_PREPARED_UPDATES) {
      name = `node_update_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
      this.updateNames.set(text, name);
    }
    return name;
  }

  async create(fields: NodeFields & { uuid: string; driver: string }): Promise<NodeRow> {
    const columns = settableColumns(fields);
    const placeholders = columns.map((_, i) => `$${i + 1}`);
    try {
      const [row] = await this.rows(
        `INSERT INTO nodes (${columns.map((c) => c.quoted).join(', ')}) ` +
          `VALUES (${placeholders.join(', ')}) RETURNING *`,
        columns.map((c) => c.value),
      );
      return row!;
    } catch (error) {
      if (isUniqueViolation(error, 'nodes_name_ci_idx'))
        throw new DuplicateName(String(fields.name));
      if (isUniqueViolation(error, 'nodes_uuid_key')) {
        throw new Conflict(`A node with UUID ${fields.uuid} already exists.`);
      }
      if (isUniqueViolation(error, 'nodes_instance_uuid_idx')) {
        throw new Conflict(`Instance ${fields.instance_uuid} is already associated with a node.`);
      }
      throw error;
    }
  }

  private selectOne(suffix: string, condition: string, value: unknown, withReservation: boolean) {
    const reserved = withReservation && this.selectList !== 'n.*';
    return this.prepared(
      `${reserved ? this.statementPrefix : 'node'}_${suffix}`,
      `SELECT ${reserved ? this.selectList : 'n.*'} FROM nodes n WHERE ${condition}`,
      [value],
    );
  }

  /** The node, with its live `reservation` when asked and the store reads reservations. */
  async getByUuid(uuid: string, withReservation = false): Promise<NodeRow | undefined> {
    return (await this.selectOne('by_uuid', 'uuid = $1', uuid, withReservation))[0];
  }

  /** The node, with its live `reservation` when asked and the store reads reservations. */
  async getByName(name: string, withReservation = false): Promise<NodeRow | undefined> {
    return (await this.selectOne('by_name', 'lower(name) = lower($1)', name, withReservation))[0];
  }

  /** The node, with its live `reservation` when asked and the store reads reservations. */
  async getById(id: number, withReservation = false): Promise<NodeRow | undefined> {
    return (await this.selectOne('by_id', 'id = $1', id, withReservation))[0];
  }

  async list(query: NodeListQuery): Promise<NodeRow[]> {
    const { sql, params } = this.listSql(query, 'n.*');
    return this.rows(sql, params);
  }

  /**
   * The page {@link list} returns, each node as its version (new for every write of the row,
   * see ROW_VERSION_SQL) with what its `conductor` and `reservation` and their policy are
   * computed from: a caller that kept a node's rendering for its version needs no more of it.
   */
  async listVersions(query: NodeListQuery): Promise<NodeVersion[]> {
    const { sql, params } = this.listSql(query, NODE_VERSION_COLUMNS);
    return (await this.pool.query<NodeVersion>(sql, params)).rows;
  }

  /** Whole nodes by id (absent ids are left out), each with its version as {@link listVersions}. */
  async getManyVersioned(ids: readonly number[]): Promise<(NodeRow & { row_version: string })[]> {
    return (await this.prepared(
      'nodes_versioned_by_id',
      `SELECT n.*, ${ROW_VERSION_SQL} AS row_version FROM nodes n WHERE n.id = ANY($1)`,
      [ids],
    )) as (NodeRow & { row_version: string })[];
  }

  private listSql(query: NodeListQuery, select: string): { sql: string; params: unknown[] } {
    // The sort key becomes SQL: only the listed ones get that far, whatever the caller's types said.
    if (!NODE_SORT_KEY_SET.has(query.sortKey)) {
      throw new InvalidParameterValue(
        `Nodes cannot be sorted by ${JSON.stringify(query.sortKey)}.`,
      );
    }
    if (!Number.isSafeInteger(query.limit) || query.limit < 0) {
      throw new InvalidParameterValue(`Invalid limit ${JSON.stringify(query.limit)}.`);
    }
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    const f = query.filters;
    for (const column of [
      'driver',
      'provision_state',
      'owner',
      'lessee',
      'resource_class',
      'instance_uuid',
      'fault',
      'shard',
      'instance_name',
    ] as const) {
      if (f[column] !== undefined) add(`${column} = ?`, f[column]);
    }
    if (f.conductor_group !== undefined)
      add('lower(conductor_group) = lower(?)', f.conductor_group);
    if (f.maintenance !== undefined) add('maintenance = ?', f.maintenance);
    if (f.retired !== undefined) add('retired = ?', f.retired);
    if (f.chassis_id !== undefined) add('chassis_id = ?', f.chassis_id);
    // A parent named by anything but a UUID has no children, as a string compare in Ironic.
    if (f.parent_node !== undefined) add('parent_node::text = lower(?)', f.parent_node);
    else if (f.include_children !== true) where.push('parent_node IS NULL');
    if (f.sharded !== undefined) where.push(f.sharded ? 'shard IS NOT NULL' : 'shard IS NULL');
    if (f.project !== undefined) {
      params.push(f.project);
      where.push(`(owner = $${params.length} OR lessee = $${params.length})`);
    }
    if (f.associated !== undefined)
      where.push(f.associated ? 'instance_uuid IS NOT NULL' : 'instance_uuid IS NULL');
    if (f.description_contains !== undefined)
      add("description ILIKE '%' || ? || '%'", f.description_contains);
    const dir = query.sortDir === 'desc' ? 'DESC' : 'ASC';
    if (query.marker) {
      const op = query.sortDir === 'desc' ? '<' : '>';
      const markerValue = (query.marker as unknown as Record<string, unknown>)[query.sortKey];
      if (query.sortKey === 'id') {
        add(`id ${op} ?`, query.marker.id);
      } else {
        // PostgreSQL sorts NULLs last ascending and first descending: the page after a marker
        // holds the NULL rows in the first case and none of them in the second.
        const column = query.sortKey;
        params.push(query.marker.id);
        const id = `$${params.length}`;
        if (markerValue === null || markerValue === undefined) {
          where.push(
            query.sortDir === 'desc'
              ? `((${column} IS NULL AND id < ${id}) OR ${column} IS NOT NULL)`
              : `(${column} IS NULL AND id > ${id})`,
          );
        } else {
          // A timestamp is compared as stored: its microseconds do not survive a JS Date, and
          // the rounded value would repeat the marker row forever.
          let v: string;
          if (markerValue instanceof Date) v = `(SELECT ${column} FROM nodes WHERE id = ${id})`;
          else {
            params.push(markerValue);
            v = `$${params.length}`;
          }
          const after = `(${column} ${op} ${v} OR (${column} = ${v} AND id ${op} ${id}))`;
          where.push(query.sortDir === 'desc' ? after : `(${after} OR ${column} IS NULL)`);
        }
      }
    }
    params.push(query.limit);
    // Reservations come from one read of the lock table joined to the page, never per row.
    const reservations = query.withReservations ? this.listReservationsSql : undefined;
    const sql =
      // A column, not a join: a join made PostgreSQL sort the whole table before the LIMIT.
      (reservations
        ? `WITH reservations AS MATERIALIZED (${reservations}) SELECT ${select},` +
          ' (SELECT r.host FROM reservations r WHERE r.node_id = n.id LIMIT 1) AS reservation' +
          ' FROM nodes n'
        : `SELECT ${select} FROM nodes n`) +
      `${where.length ? ` WHERE ${where.join(' AND ')}` : ''}` +
      ` ORDER BY ${query.sortKey} ${dir}${query.sortKey === 'id' ? '' : `, id ${dir}`} LIMIT $${params.length}`;
    return { sql, params };
  }

  /**
   * Sets columns of one node; returns the node after the change, or undefined when it is gone
   * or when `fence` (an SQL condition, such as "the lock on it is still ours") does not hold.
   */
  async update(id: number, changes: NodeFields, fence?: SqlFence): Promise<NodeRow | undefined> {
    const params: unknown[] = [id];
    const sets = settableColumns(changes).map(({ quoted, value }) => {
      params.push(value);
      return `${quoted} = $${params.length}`;
    });
    sets.push('updated_at = now()');
    const condition = fence ? ` AND ${fence(binder(params))}` : '';
    const text = `UPDATE nodes SET ${sets.join(', ')} WHERE id = $1${condition} RETURNING *`;
    const name = this.updateStatementName(text);
    try {
      return (name ? await this.prepared(name, text, params) : await this.rows(text, params))[0];
    } catch (error) {
      if (isUniqueViolation(error, 'nodes_name_ci_idx'))
        throw new DuplicateName(String(changes.name));
      if (isUniqueViolation(error, 'nodes_instance_uuid_idx')) {
        throw new Conflict(`Instance ${changes.instance_uuid} is already associated with a node.`);
      }
      throw error;
    }
  }

  /** Deletes a node (its ports go with it); returns whether it existed. */
  async delete(id: number, fence?: SqlFence): Promise<boolean> {
    const params: unknown[] = [id];
    const condition = fence ? ` AND ${fence(binder(params))}` : '';
    const result = await this.pool.query(`DELETE FROM nodes WHERE id = $1${condition}`, params);
    return (result.rowCount ?? 0) > 0;
  }

  /** A node and its ports in one statement, as a task on the node needs them. */
  async getWithPorts(id: number): Promise<NodeWithPorts | undefined> {
    const [row] = (await this.prepared(
      'node_with_ports',
      `SELECT n.*, ${PORTS_JSON_COLUMN}
       FROM nodes n WHERE n.id = $1`,
      [id],
    )) as (NodeRow & { ports_json?: NodePortRow[] })[];
    if (!row) return undefined;
    const { ports_json: ports = [], ...node } = row;
    return { node, ports };
  }

  /**
   * {@link getWithPorts} for a call admitted under the node's lock, in the same round trip:
   * records `issuedAt` as the node's newest request issue time unless a newer one is recorded,
   * fenced by the lock, and returns the newest recorded (undefined when the fence refused).
   */
  async getWithPortsAdmitting(
    id: number,
    fenceToken: string,
    issuedAt: number,
  ): Promise<(NodeWithPorts & { newestIssuedAt: bigint | undefined }) | undefined> {
    const [row] = (await this.prepared(
      'node_with_ports_admitting',
      `WITH admitted AS (
         UPDATE nodes SET newest_request_issued_at = GREATEST(newest_request_issued_at, $3::bigint)
         WHERE id = $1 AND ${stillHeldSql('$1', '$2')}
         RETURNING newest_request_issued_at)
       SELECT n.*, ${PORTS_JSON_COLUMN},
         (SELECT newest_request_issued_at::text FROM admitted) AS admitted_newest
       FROM nodes n WHERE n.id = $1`,
      [id, fenceToken, Math.trunc(issuedAt)],
    )) as (NodeRow & { ports_json?: NodePortRow[]; admitted_newest?: string | null })[];
    if (!row) return undefined;
    const { ports_json: ports = [], admitted_newest: newest, ...node } = row;
    return {
      node,
      ports,
      newestIssuedAt: newest === null || newest === undefined ? undefined : BigInt(newest),
    };
  }

  /** Many nodes and their ports in one statement (absent ids are left out), by id. */
  async getManyWithPorts(
    ids: readonly number[],
  ): Promise<Map<number, { node: NodeRow; ports: NodePortRow[] }>> {
    const rows = (await this.prepared(
      'nodes_with_ports',
      `SELECT n.*, ${PORTS_JSON_COLUMN}
       FROM nodes n WHERE n.id = ANY($1)`,
      [ids],
    )) as (NodeRow & { ports_json?: NodePortRow[] })[];
    return new Map(rows.map(({ ports_json: ports = [], ...node }) => [node.id, { node, ports }]));
  }

  async ports(nodeId: number): Promise<NodePortRow[]> {
    return (
      await this.pool.query(
        'SELECT uuid, address, pxe_enabled FROM ports WHERE node_id = $1 ORDER BY id',
        [nodeId],
      )
    ).rows as NodePortRow[];
  }

  /**
   * Nodes a power-state sync covers: not in maintenance, of one of `hardwareTypes`, not in
   * `excludedStates`; `locked` when their lock is held now or a power change is under way (the
   * sync skips those this pass).
   */
  async powerSyncCandidates(
    hardwareTypes: readonly string[],
    excludedStates: readonly string[],
  ): Promise<PowerSyncCandidate[]> {
    const { rows } = await this.pool.query<PowerSyncCandidate>(
      `WITH reservations AS (${RESERVATIONS_SQL})
       SELECT n.id, n.uuid, n.driver, n.conductor_group,
              (n.target_power_state IS NOT NULL
                OR EXISTS (SELECT 1 FROM reservations r WHERE r.node_id = n.id)) AS locked
       FROM nodes n
       WHERE NOT n.maintenance AND n.driver = ANY($1) AND NOT (n.provision_state = ANY($2))`,
      [hardwareTypes, excludedStates],
    );
    return rows;
  }

  /** Nodes in one of `states`, or changing their power, that nobody holds the lock of now. */
  async unlockedInTransientStates(states: readonly string[]): Promise<UnlockedNode[]> {
    const { rows } = await this.pool.query<UnlockedNode>(
      `WITH reservations AS (${RESERVATIONS_SQL})
       SELECT n.id, n.uuid FROM nodes n
       WHERE (n.provision_state = ANY($1) OR n.target_power_state IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.node_id = n.id)`,
      [states],
    );
    return rows;
  }

  /** Ironic's shards: how many nodes each shard has, most first; nodes without one as `None`. */
  async shards(): Promise<{ name: string; count: number }[]> {
    const { rows } = await this.pool.query<{ shard: string | null; count: number }>(
      'SELECT shard, count(*)::int AS count FROM nodes GROUP BY shard ORDER BY count DESC, shard',
    );
    // Ironic shows the nodes without a shard under Python's str(None).
    return rows.map((row) => ({ name: row.shard ?? 'None', count: row.count }));
  }

  /**
   * The node one of these MAC addresses (lower case) belongs to, as Ironic's lookup finds it;
   * undefined when none does, or when they belong to more than one node.
   */
  async getByPortAddresses(addresses: readonly string[]): Promise<NodeRow | undefined> {
    const { rows } = await this.pool.query<{ node_id: number }>(
      'SELECT DISTINCT node_id FROM ports WHERE lower(address) = ANY($1) LIMIT 2',
      [addresses.map((address) => address.toLowerCase())],
    );
    if (rows.length !== 1) return undefined;
    return this.getById(rows[0]!.node_id);
  }

  /** Nodes in these (wait) states whose provision state last changed before `before`. */
  async inStatesSince(
    states: readonly string[],
    before: Date,
  ): Promise<{ id: number; uuid: string }[]> {
    const { rows } = await this.pool.query<{ id: number; uuid: string }>(
      `SELECT id, uuid FROM nodes WHERE provision_state = ANY($1) AND provision_updated_at < $2`,
      [states, before],
    );
    return rows;
  }

  /** How many nodes are in each provision state (states with none are left out). */
  async countByProvisionState(): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ provision_state: string; count: number }>(
      'SELECT provision_state, count(*)::int AS count FROM nodes GROUP BY provision_state',
    );
    return new Map(rows.map((row) => [row.provision_state, row.count]));
  }

  /** The host holding each node's lock now (Ironic's `reservation`); unlocked nodes are absent. */
  async reservations(nodeIds: readonly number[]): Promise<Map<number, string>> {
    return reservationsOf(this.pool, nodeIds);
  }
}
