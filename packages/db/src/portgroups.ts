import type { DataSource } from 'typeorm';
import { Conflict, InvalidParameterValue } from '@galvanic/errors';
import { deleteUnlessReferenced, type GuardedDeletion } from './delete-unless-referenced';
import { afterMarker, isUniqueViolation } from './paging';

/** A port group as stored, with its node's UUID beside the node id. */
export interface PortgroupRow {
  id: number;
  uuid: string;
  name: string | null;
  node_id: number;
  node_uuid: string;
  address: string | null;
  extra: Record<string, unknown>;
  internal_info: Record<string, unknown>;
  standalone_ports_supported: boolean;
  mode: string;
  properties: Record<string, unknown>;
  physical_network: string | null;
  category: string | null;
  dynamic_portgroup: boolean;
  created_at: Date;
  updated_at: Date | null;
}

/** Columns the API may set on a port group. */
export interface PortgroupFields {
  name?: string | null;
  address?: string | null;
  extra?: Record<string, unknown>;
  standalone_ports_supported?: boolean;
  mode?: string;
  properties?: Record<string, unknown>;
  physical_network?: string | null;
  category?: string | null;
}

/** Columns a port group list may be sorted by (Ironic refuses extra, internal_info, properties). */
export const PORTGROUP_SORT_KEYS = [
  'id',
  'uuid',
  'name',
  'address',
  'mode',
  'standalone_ports_supported',
  'physical_network',
  'category',
  'created_at',
  'updated_at',
] as const;
export type PortgroupSortKey = (typeof PORTGROUP_SORT_KEYS)[number];
const SORT_KEY_SET: ReadonlySet<string> = new Set<string>(PORTGROUP_SORT_KEYS);
const NULLABLE_SORT_KEYS: ReadonlySet<string> = new Set([
  'name',
  'address',
  'physical_network',
  'category',
  'updated_at',
]);

/** The settable columns with their SQL types; no other name ever reaches a statement. */
const COLUMN_TYPES: Readonly<Record<keyof PortgroupFields, string>> = {
  name: 'varchar',
  address: 'varchar',
  extra: 'jsonb',
  standalone_ports_supported: 'boolean',
  mode: 'varchar',
  properties: 'jsonb',
  physical_network: 'varchar',
  category: 'varchar',
};

export interface PortgroupFilters {
  nodeId?: number;
  address?: string;
  /** Port groups of nodes in any of these shards. */
  shards?: readonly string[];
  /** Port groups of nodes in any of these conductor groups (compared in lower case). */
  conductorGroups?: readonly string[];
  /** Only the port groups of nodes this project owns or leases (set by policy). */
  project?: string;
}

export interface PortgroupListQuery {
  filters: PortgroupFilters;
  limit: number;
  marker?: PortgroupRow;
  sortKey: string;
  sortDir: 'asc' | 'desc';
}

/** What deleting a port group came to. */
export type PortgroupDeletion = GuardedDeletion;

const SELECT = 'SELECT g.*, n.uuid AS node_uuid FROM portgroups g JOIN nodes n ON n.id = g.node_id';

function columnsOf(fields: PortgroupFields): { name: string; type: string; value: unknown }[] {
  return (Object.keys(COLUMN_TYPES) as (keyof PortgroupFields)[])
    .filter((name) => fields[name] !== undefined)
    .map((name) => {
      const type = COLUMN_TYPES[name];
      const value = type === 'jsonb' ? JSON.stringify(fields[name]) : fields[name];
      return { name, type, value };
    });
}

/** Port groups in PostgreSQL; every call is one statement. */
export class PortgroupStore {
  constructor(private readonly dataSource: DataSource) {}

  private async rows(sql: string, params: unknown[]): Promise<PortgroupRow[]> {
    return (await this.dataSource.query(sql, params)) as PortgroupRow[];
  }

  private translate(error: unknown, fields: PortgroupFields & { uuid?: string }): unknown {
    if (isUniqueViolation(error, 'portgroups_address_key'))
      return new Conflict(`A portgroup with MAC address ${fields.address} already exists.`);
    if (isUniqueViolation(error, 'portgroups_name_key'))
      return new Conflict(`A portgroup with name ${fields.name} already exists.`);
    if (isUniqueViolation(error, 'portgroups_uuid_key'))
      return new Conflict(`A portgroup with UUID ${fields.uuid} already exists.`);
    return error;
  }

  /** Creates a port group on the node with `nodeId`; undefined when the node is gone. */
  async create(
    nodeId: number,
    fields: PortgroupFields & { uuid: string; mode: string },
  ): Promise<PortgroupRow | undefined> {
    const columns = columnsOf(fields);
    const params: unknown[] = [nodeId, fields.uuid, ...columns.map((c) => c.value)];
    const names = ['node_id', 'uuid', ...columns.map((c) => c.name)];
    const values = ['n.id', '$2::uuid', ...columns.map((c, i) => `$${i + 3}::${c.type}`)];
    try {
      return (
        await this.rows(
          `WITH n AS (SELECT id, uuid FROM nodes WHERE id = $1),
                g AS (INSERT INTO portgroups (${names.join(', ')})
                      SELECT ${values.join(', ')} FROM n RETURNING *)
           SELECT g.*, n.uuid AS node_uuid FROM g JOIN n ON n.id = g.node_id`,
          params,
        )
      )[0];
    } catch (error) {
      throw this.translate(error, fields);
    }
  }

  async getByUuid(uuid: string): Promise<PortgroupRow | undefined> {
    return (await this.rows(`${SELECT} WHERE g.uuid = $1`, [uuid]))[0];
  }

  async getByName(name: string): Promise<PortgroupRow | undefined> {
    return (await this.rows(`${SELECT} WHERE g.name = $1`, [name]))[0];
  }

  async list(query: PortgroupListQuery): Promise<PortgroupRow[]> {
    // The sort key becomes SQL: only the listed ones get that far, whatever the caller passed.
    if (!SORT_KEY_SET.has(query.sortKey))
      throw new InvalidParameterValue(
        `Port groups cannot be sorted by ${JSON.stringify(query.sortKey)}.`,
      );
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const { filters } = query;
    if (filters.nodeId !== undefined) where.push(`g.node_id = ${bind(filters.nodeId)}`);
    if (filters.address !== undefined) where.push(`g.address = ${bind(filters.address)}`);
    if (filters.shards !== undefined) where.push(`n.shard = ANY(${bind(filters.shards)}::text[])`);
    if (filters.conductorGroups !== undefined)
      where.push(`lower(n.conductor_group) = ANY(${bind(filters.conductorGroups)}::text[])`);
    if (filters.project !== undefined) {
      const project = bind(filters.project);
      where.push(`(n.owner = ${project} OR n.lessee = ${project})`);
    }
    const column = `g.${query.sortKey}`;
    if (query.marker) {
      where.push(
        afterMarker(
          { alias: 'g', table: 'portgroups' },
          column,
          NULLABLE_SORT_KEYS.has(query.sortKey),
          query.sortDir,
          query.marker[query.sortKey as PortgroupSortKey],
          bind,
          query.marker.id,
        ),
      );
    }
    const dir = query.sortDir === 'desc' ? 'DESC' : 'ASC';
    const order = query.sortKey === 'id' ? `g.id ${dir}` : `${column} ${dir}, g.id ${dir}`;
    return this.rows(
      `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ${bind(query.limit)}`,
      params,
    );
  }

  /**
   * Sets columns of one port group and, with `nodeId`, moves it to that node. Returns the port
   * group after the change, or undefined when it or the new node is gone.
   */
  async update(
    id: number,
    changes: PortgroupFields,
    nodeId?: number,
  ): Promise<PortgroupRow | undefined> {
    const params: unknown[] = [id];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const sets = columnsOf(changes).map((c) => `"${c.name}" = ${bind(c.value)}::${c.type}`);
    sets.push('updated_at = now()');
    let join = 'n.id = g.node_id';
    if (nodeId !== undefined) {
      sets.push('node_id = n.id');
      join = `n.id = ${bind(nodeId)}`;
    }
    // A port group's physical network is its ports' too (Ironic's update_physical_network).
    const members =
      changes.physical_network === undefined
        ? ''
        : `, members AS (UPDATE ports p SET physical_network = u.physical_network,
             updated_at = now() FROM updated u WHERE p.portgroup_id = u.id
             AND p.physical_network IS DISTINCT FROM u.physical_network)`;
    try {
      return (
        await this.rows(
          `WITH updated AS (
             UPDATE portgroups g SET ${sets.join(', ')} FROM nodes n WHERE g.id = $1 AND ${join}
             RETURNING g.*, n.uuid AS node_uuid)${members}
           SELECT * FROM updated`,
          params,
        )
      )[0];
    } catch (error) {
      throw this.translate(error, changes);
    }
  }

  /** Whether any port belongs to the port group. */
  async hasPorts(id: number): Promise<boolean> {
    const [row] = (await this.dataSource.query(
      'SELECT EXISTS (SELECT 1 FROM ports WHERE portgroup_id = $1) AS any',
      [id],
    )) as { any: boolean }[];
    return row!.any;
  }

  /** Deletes a port group unless ports still belong to it. */
  delete(uuid: string): Promise<PortgroupDeletion> {
    return deleteUnlessReferenced(
      this.dataSource,
      { table: 'portgroups', children: { table: 'ports', column: 'portgroup_id' } },
      uuid,
    );
  }
}
