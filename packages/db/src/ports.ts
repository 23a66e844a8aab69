import type { DataSource } from 'typeorm';
import { Conflict, InvalidParameterValue, MACAlreadyExists } from '@galvanic/errors';

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
] as const;
export type PortSortKey = (typeof PORT_SORT_KEYS)[number];

const NULLABLE_SORT_KEYS = new Set<PortSortKey>(['updated_at', 'physical_network']);

/** Column types, so parameters in `INSERT ... SELECT` and `SET` are typed explicitly. */
const COLUMN_TYPES: Readonly<Record<keyof PortFields | 'uuid', string>> = {
  uuid: 'uuid',
  address: 'varchar',
  extra: 'jsonb',
  local_link_connection: 'jsonb',
  pxe_enabled: 'boolean',
  physical_network: 'varchar',
  is_smartnic: 'boolean',
};

export interface PortFilters {
  nodeId?: number;
  address?: string;
  /** Only the ports of nodes this project owns or leases (set by policy). */
  project?: string;
}

export interface PortListQuery {
  filters: PortFilters;
  limit: number;
  /** The port after which the page starts. */
  marker?: PortRow;
  sortKey: PortSortKey;
  sortDir: 'asc' | 'desc';
}

const SELECT_PORT = 'SELECT p.*, n.uuid AS node_uuid FROM ports p JOIN nodes n ON n.id = p.node_id';

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

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === constraint;
}

/**
 * The condition that keeps rows after `marker` in the order `column dir, id dir`. PostgreSQL puts
 * NULLs last ascending and first descending, so a nullable column needs its NULLs placed by hand.
 */
function afterMarker(
  column: string,
  nullable: boolean,
  dir: 'asc' | 'desc',
  value: unknown,
  bind: (value: unknown) => string,
  markerId: number,
): string {
  const op = dir === 'desc' ? '<' : '>';
  const id = bind(markerId);
  if (column === 'p.id') return `p.id ${op} ${id}`;
  if (value === null || value === undefined) {
    return dir === 'asc'
      ? `(${column} IS NULL AND p.id > ${id})`
      : `(${column} IS NOT NULL OR p.id < ${id})`;
  }
  // A timestamp is compared as stored: its microseconds do not survive a JS Date, and the
  // rounded value would repeat the marker row forever.
  const v =
    value instanceof Date ? `(SELECT ${column} FROM ports p WHERE p.id = ${id})` : bind(value);
  const later = `(${column} ${op} ${v} OR (${column} = ${v} AND p.id ${op} ${id})`;
  return nullable && dir === 'asc' ? `${later} OR ${column} IS NULL)` : `${later})`;
}

/** Ports in PostgreSQL; every call is one statement. */
export class PortStore {
  constructor(private readonly dataSource: DataSource) {}

  private async rows(sql: string, params: unknown[]): Promise<PortRow[]> {
    return (await this.dataSource.query(sql, params)) as PortRow[];
  }

  private translate(error: unknown, fields: { uuid?: string; address?: string }): unknown {
    if (isUniqueViolation(error, 'ports_address_key'))
      return new MACAlreadyExists(String(fields.address));
    if (isUniqueViolation(error, 'ports_uuid_key'))
      return new Conflict(`A port with UUID ${fields.uuid} already exists.`);
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
         SELECT p.*, n.uuid AS node_uuid FROM p JOIN n ON n.id = p.node_id`,
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
    const column = `p.${query.sortKey}`;
    if (query.marker) {
      where.push(
        afterMarker(
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
         RETURNING p.*, n.uuid AS node_uuid`,
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
