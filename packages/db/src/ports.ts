import type { DataSource } from 'typeorm';
import { Conflict, InvalidParameterValue, MACAlreadyExists } from '@galvanic/errors';
import { afterMarker, isUniqueViolation } from './paging';

/** A port as stored, with its node's UUID beside the node id. */
export interface PortRow {
  id: number;
  uuid: string;
  address: string;
  node_id: number;
  node_uuid: string;
  name: string | null;
  extra: Record<string, unknown>;
  internal_info: Record<string, unknown>;
  local_link_connection: Record<string, unknown>;
  pxe_enabled: boolean;
  physical_network: string | null;
  is_smartnic: boolean;
  description: string | null;
  portgroup_id: number | null;
  /** The UUID of the port group the port belongs to, if any. */
  portgroup_uuid: string | null;
  vendor: string | null;
  category: string | null;
  available_for_dynamic_portgroup: boolean;
  created_at: Date;
  updated_at: Date | null;
}

/** Columns the API may set on a port. */
export interface PortFields {
  address?: string;
  extra?: Record<string, unknown>;
  local_link_connection?: Record<string, unknown>;
  pxe_enabled?: boolean;
  physical_network?: string | null;
  is_smartnic?: boolean;
  name?: string | null;
  description?: string | null;
  vendor?: string | null;
  category?: string | null;
  available_for_dynamic_portgroup?: boolean;
  portgroup_id?: number | null;
}

/** Columns a port list may be sorted by. */
export const PORT_SORT_KEYS = [
  'id',
  'uuid',
  'address',
  'created_at',
  'updated_at',
  'pxe_enabled',
  'physical_network',
  'is_smartnic',
  'name',
  'description',
  'vendor',
  'category',
  'available_for_dynamic_portgroup',
] as const;
export type PortSortKey = (typeof PORT_SORT_KEYS)[number];

const NULLABLE_SORT_KEYS = new Set<PortSortKey>([
  'updated_at',
  'physical_network',
  'name',
  'description',
  'vendor',
  'category',
]);

/** Column types, so parameters in `INSERT ... SELECT` and `SET` are typed explicitly. */
const COLUMN_TYPES: Readonly<Record<keyof PortFields | 'uuid', string>> = {
  uuid: 'uuid',
  address: 'varchar',
  extra: 'jsonb',
  local_link_connection: 'jsonb',
  pxe_enabled: 'boolean',
  physical_network: 'varchar',
  is_smartnic: 'boolean',
  name: 'varchar',
  description: 'text',
  vendor: 'varchar',
  category: 'varchar',
  available_for_dynamic_portgroup: 'boolean',
  portgroup_id: 'integer',
};

export interface PortFilters {
  nodeId?: number;
  address?: string;
  /** Only the ports of nodes this project owns or leases (set by policy). */
  project?: string;
  portgroupId?: number;
  /** Ports of nodes in any of these conductor groups (compared in lower case). */
  conductorGroups?: readonly string[];
}

export interface PortListQuery {
  filters: PortFilters;
  limit: number;
  /** The port after which the page starts. */
  marker?: PortRow;
  sortKey: PortSortKey;
  sortDir: 'asc' | 'desc';
}

const PORTGROUP_UUID =
  '(SELECT g.uuid FROM portgroups g WHERE g.id = p.portgroup_id) AS portgroup_uuid';
const SELECT_PORT = `SELECT p.*, n.uuid AS node_uuid, ${PORTGROUP_UUID} FROM ports p JOIN nodes n ON n.id = p.node_id`;

type PortColumn = keyof typeof COLUMN_TYPES;

/**
 * The columns `fields` sets, each checked against COLUMN_TYPES (the allow-list) and quoted, with
 * its SQL type: any other key (a typo, or SQL smuggled in as a key) is refused before any SQL.
 */
function settableColumns(
  fields: object,
  allowed: ReadonlySet<string>,
): { quoted: string; type: string; value: unknown }[] {
  const values = fields as Record<string, unknown>;
  return Object.keys(values)
    .filter((key) => values[key] !== undefined)
    .map((key) => {
      if (!allowed.has(key)) {
        throw new InvalidParameterValue(`Ports have no settable field ${JSON.stringify(key)}.`);
      }
      const type = COLUMN_TYPES[key as PortColumn];
      const value = type === 'jsonb' ? JSON.stringify(values[key]) : values[key];
      return { quoted: `"${key}"`, type, value };
    });
}

const CREATE_COLUMNS: ReadonlySet<string> = new Set(Object.keys(COLUMN_TYPES));
const UPDATE_COLUMNS: ReadonlySet<string> = new Set(
  Object.keys(COLUMN_TYPES).filter((column) => column !== 'uuid'),
);
const PORT_SORT_KEY_SET: ReadonlySet<string> = new Set<string>(PORT_SORT_KEYS);

/** Ports in PostgreSQL; every call is one statement. */
export class PortStore {
  constructor(private readonly dataSource: DataSource) {}

  private async rows(sql: string, params: unknown[]): Promise<PortRow[]> {
    return (await this.dataSource.query(sql, params)) as PortRow[];
  }

  private translate(
    error: unknown,
    fields: { uuid?: string; address?: string; name?: string | null },
  ): unknown {
    if (isUniqueViolation(error, 'ports_address_key'))
      return new MACAlreadyExists(String(fields.address));
    if (isUniqueViolation(error, 'ports_uuid_key'))
      return new Conflict(`A port with UUID ${fields.uuid} already exists.`);
    if (isUniqueViolation(error, 'ports_name_key'))
      return new Conflict(`A port with name ${fields.name} already exists.`);
    return error;
  }

  /** Creates a port on the node with `nodeUuid`; undefined when there is no such node. */
  async create(
    nodeUuid: string,
    fields: PortFields & { uuid: string; address: string },
  ): Promise<PortRow | undefined> {
    const columns = settableColumns(fields, CREATE_COLUMNS);
    const params: unknown[] = [nodeUuid, ...columns.map((c) => c.value)];
    const values = columns.map((c, i) => `$${i + 2}::${c.type}`);
    try {
      const [row] = await this.rows(
        `WITH n AS (SELECT id, uuid FROM nodes WHERE uuid = $1),
              p AS (INSERT INTO ports (node_id, ${columns.map((c) => c.quoted).join(', ')})
                    SELECT n.id, ${values.join(', ')} FROM n RETURNING *)
         SELECT p.*, n.uuid AS node_uuid, ${PORTGROUP_UUID} FROM p JOIN n ON n.id = p.node_id`,
        params,
      );
      return row;
    } catch (error) {
      throw this.translate(error, fields);
    }
  }

  async getByUuid(uuid: string): Promise<PortRow | undefined> {
    return (await this.rows(`${SELECT_PORT} WHERE p.uuid = $1`, [uuid]))[0];
  }

  async getByName(name: string): Promise<PortRow | undefined> {
    return (await this.rows(`${SELECT_PORT} WHERE p.name = $1`, [name]))[0];
  }

  async list(query: PortListQuery): Promise<PortRow[]> {
    // The sort key becomes SQL: only the listed ones get that far, whatever the caller's types said.
    if (!PORT_SORT_KEY_SET.has(query.sortKey)) {
      throw new InvalidParameterValue(
        `Ports cannot be sorted by ${JSON.stringify(query.sortKey)}.`,
      );
    }
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.filters.nodeId !== undefined) where.push(`p.node_id = ${bind(query.filters.nodeId)}`);
    if (query.filters.address !== undefined)
      where.push(`p.address = ${bind(query.filters.address)}`);
    if (query.filters.project !== undefined) {
      const project = bind(query.filters.project);
      where.push(`(n.owner = ${project} OR n.lessee = ${project})`);
    }
    if (query.filters.portgroupId !== undefined)
      where.push(`p.portgroup_id = ${bind(query.filters.portgroupId)}`);
    if (query.filters.conductorGroups !== undefined)
      where.push(`lower(n.conductor_group) = ANY(${bind(query.filters.conductorGroups)}::text[])`);
    const column = `p.${query.sortKey}`;
    if (query.marker) {
      where.push(
        afterMarker(
          { alias: 'p', table: 'ports' },
          column,
          NULLABLE_SORT_KEYS.has(query.sortKey),
          query.sortDir,
          query.marker[query.sortKey],
          bind,
          query.marker.id,
        ),
      );
    }
    const dir = query.sortDir === 'desc' ? 'DESC' : 'ASC';
    const order = query.sortKey === 'id' ? `p.id ${dir}` : `${column} ${dir}, p.id ${dir}`;
    return this.rows(
      `${SELECT_PORT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ${bind(query.limit)}`,
      params,
    );
  }

  /**
   * Sets columns of one port and, with `nodeUuid`, moves it to that node. Returns the port after
   * the change, or undefined when the port or the new node is gone.
   */
  async update(id: number, changes: PortFields, nodeUuid?: string): Promise<PortRow | undefined> {
    const params: unknown[] = [id];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const sets = settableColumns(changes, UPDATE_COLUMNS).map(
      ({ quoted, type, value }) => `${quoted} = ${bind(value)}::${type}`,
    );
    sets.push('updated_at = now()');
    let join = 'n.id = p.node_id';
    if (nodeUuid !== undefined) {
      sets.push('node_id = n.id');
      join = `n.uuid = ${bind(nodeUuid)}`;
    }
    try {
      const result = (await this.dataSource.query(
        `UPDATE ports p SET ${sets.join(', ')} FROM nodes n WHERE p.id = $1 AND ${join}
         RETURNING p.*, n.uuid AS node_uuid, ${PORTGROUP_UUID}`,
        params,
      )) as [PortRow[], number];
      return result[0][0];
    } catch (error) {
      throw this.translate(error, changes);
    }
  }

  /** Deletes a port; returns whether it existed. */
  async delete(uuid: string): Promise<boolean> {
    const result = (await this.dataSource.query('DELETE FROM ports WHERE uuid = $1', [uuid])) as [
      unknown[],
      number,
    ];
    return result[1] > 0;
  }
}
