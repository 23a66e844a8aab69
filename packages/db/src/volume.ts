import type { DataSource } from 'typeorm';
import { Conflict, InvalidParameterValue } from '@galvanic/errors';
import { afterMarker, isUniqueViolation } from './paging';

/** What volume connectors and targets share: a node's resource with extra data. */
interface VolumeRowBase {
  id: number;
  uuid: string;
  node_id: number;
  node_uuid: string;
  extra: Record<string, unknown>;
  created_at: Date;
  updated_at: Date | null;
}

/** A volume connector as stored (Ironic's field names are the column names). */
export interface VolumeConnectorRow extends VolumeRowBase {
  type: string;
  connector_id: string;
}

/** A volume target as stored. */
export interface VolumeTargetRow extends VolumeRowBase {
  volume_type: string;
  properties: Record<string, unknown>;
  boot_index: number;
  volume_id: string;
}

export interface VolumeConnectorFields {
  type?: string;
  connector_id?: string;
  extra?: Record<string, unknown>;
}

export interface VolumeTargetFields {
  volume_type?: string;
  properties?: Record<string, unknown>;
  boot_index?: number;
  volume_id?: string;
  extra?: Record<string, unknown>;
}

export const VOLUME_CONNECTOR_SORT_KEYS = [
  'id',
  'uuid',
  'type',
  'connector_id',
  'created_at',
  'updated_at',
] as const;
export const VOLUME_TARGET_SORT_KEYS = [
  'id',
  'uuid',
  'volume_type',
  'boot_index',
  'volume_id',
  'created_at',
  'updated_at',
] as const;

export interface VolumeListQuery<Row> {
  /** The node whose volume resources are listed; all when unset. */
  nodeId?: number;
  /** Only those of nodes this project owns or leases (set by policy). */
  project?: string;
  limit: number;
  marker?: Row;
  sortKey: string;
  sortDir: 'asc' | 'desc';
}

/**
 * Why a write that needs the node in a state did not happen: the resource or node is gone, or
 * the node is not in the state (its power state is given, for Ironic's message).
 */
export type VolumeWriteOutcome<Row> =
  | { done: true; row?: Row }
  | { done: false; reason: 'not-found' }
  | { done: false; reason: 'node-state'; nodeUuid: string; powerState: string | null };

/** A node's condition for changing its volume resources, as SQL over the node `n`. */
const POWERED_OFF = "n.power_state = 'power off'";
/** Ironic's deletions also go in the states a node itself may be deleted in. */
const DELETABLE = `(${POWERED_OFF} OR n.provision_state IN ('manageable', 'enroll', 'adopt failed'))`;

interface VolumeTable {
  table: string;
  columns: Readonly<Record<string, string>>;
  sortKeys: readonly string[];
  /** The error for a unique constraint the write broke, if it is one the table has. */
  conflict(error: unknown, fields: Record<string, unknown>): Error | undefined;
}

/** One of a node's volume tables in PostgreSQL; every call is one statement. */
class VolumeStore<Row extends VolumeRowBase, Fields extends object> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly spec: VolumeTable,
  ) {}

  private get select(): string {
    return `SELECT v.*, n.uuid AS node_uuid FROM ${this.spec.table} v JOIN nodes n ON n.id = v.node_id`;
  }

  private columnsOf(fields: object): { name: string; type: string; value: unknown }[] {
    const values = fields as Record<string, unknown>;
    return Object.keys(values)
      .filter((name) => values[name] !== undefined)
      .map((name) => {
        const type = this.spec.columns[name];
        if (type === undefined)
          throw new InvalidParameterValue(
            `${this.spec.table} have no field ${JSON.stringify(name)}.`,
          );
        return {
          name,
          type,
          value: type === 'jsonb' ? JSON.stringify(values[name]) : values[name],
        };
      });
  }

  private translate(error: unknown, fields: object): unknown {
    return this.spec.conflict(error, fields as Record<string, unknown>) ?? error;
  }

  /** Creates one on the node with `nodeId`; undefined when the node is gone. */
  async create(nodeId: number, fields: Fields & { uuid: string }): Promise<Row | undefined> {
    const columns = this.columnsOf(fields);
    const params = [nodeId, ...columns.map((c) => c.value)];
    const values = columns.map((c, i) => `$${i + 2}::${c.type}`);
    try {
      const rows = (await this.dataSource.query(
        `WITH n AS (SELECT id, uuid FROM nodes WHERE id = $1),
              v AS (INSERT INTO ${this.spec.table} (node_id, ${columns.map((c) => c.name).join(', ')})
                    SELECT n.id, ${values.join(', ')} FROM n RETURNING *)
         SELECT v.*, n.uuid AS node_uuid FROM v JOIN n ON n.id = v.node_id`,
        params,
      )) as Row[];
      return rows[0];
    } catch (error) {
      throw this.translate(error, fields);
    }
  }

  async getByUuid(uuid: string): Promise<Row | undefined> {
    return ((await this.dataSource.query(`${this.select} WHERE v.uuid = $1`, [uuid])) as Row[])[0];
  }

  async list(query: VolumeListQuery<Row>): Promise<Row[]> {
    if (!this.spec.sortKeys.includes(query.sortKey))
      throw new InvalidParameterValue(`Cannot sort by ${JSON.stringify(query.sortKey)}.`);
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (query.nodeId !== undefined) where.push(`v.node_id = ${bind(query.nodeId)}`);
    if (query.project !== undefined) {
      const project = bind(query.project);
      where.push(`(n.owner = ${project} OR n.lessee = ${project})`);
    }
    const column = `v.${query.sortKey}`;
    if (query.marker) {
      where.push(
        afterMarker(
          { alias: 'v', table: this.spec.table },
          column,
          query.sortKey === 'updated_at',
          query.sortDir,
          (query.marker as unknown as Record<string, unknown>)[query.sortKey],
          bind,
          query.marker.id,
        ),
      );
    }
    const dir = query.sortDir === 'desc' ? 'DESC' : 'ASC';
    const order = query.sortKey === 'id' ? `v.id ${dir}` : `${column} ${dir}, v.id ${dir}`;
    return (await this.dataSource.query(
      `${this.select}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ${bind(query.limit)}`,
      params,
    )) as Row[];
  }

  /** Why a guarded write on `id` touched nothing: gone, or its (new) node in another state. */
  private async refusal(id: number, nodeId?: number): Promise<VolumeWriteOutcome<Row>> {
    const [node] = (await this.dataSource.query(
      `SELECT n.uuid, n.power_state FROM nodes n
        WHERE n.id = COALESCE($2::int, (SELECT node_id FROM ${this.spec.table} WHERE id = $1))`,
      [id, nodeId ?? null],
    )) as { uuid: string; power_state: string | null }[];
    const exists = (await this.dataSource.query(`SELECT 1 FROM ${this.spec.table} WHERE id = $1`, [
      id,
    ])) as unknown[];
    if (!node || exists.length === 0) return { done: false, reason: 'not-found' };
    return { done: false, reason: 'node-state', nodeUuid: node.uuid, powerState: node.power_state };
  }

  /**
   * Sets columns and, with `nodeId`, moves it to that node, only while that node is powered off
   * (Ironic's rule for updating volume resources).
   */
  async update(id: number, changes: Fields, nodeId?: number): Promise<VolumeWriteOutcome<Row>> {
    const params: unknown[] = [id];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const sets = this.columnsOf(changes).map((c) => `"${c.name}" = ${bind(c.value)}::${c.type}`);
    sets.push('updated_at = now()');
    let join = 'n.id = v.node_id';
    if (nodeId !== undefined) {
      sets.push('node_id = n.id');
      join = `n.id = ${bind(nodeId)}`;
    }
    try {
      const [rows] = (await this.dataSource.query(
        `UPDATE ${this.spec.table} v SET ${sets.join(', ')} FROM nodes n
          WHERE v.id = $1 AND ${join} AND ${POWERED_OFF}
          RETURNING v.*, n.uuid AS node_uuid`,
        params,
      )) as [Row[], number];
      if (rows[0]) return { done: true, row: rows[0] };
    } catch (error) {
      throw this.translate(error, changes);
    }
    return this.refusal(id, nodeId);
  }

  /** Deletes it while its node is powered off or in a state a node may be deleted in. */
  async delete(id: number): Promise<VolumeWriteOutcome<Row>> {
    const [, count] = (await this.dataSource.query(
      `DELETE FROM ${this.spec.table} v USING nodes n
        WHERE v.id = $1 AND n.id = v.node_id AND ${DELETABLE}`,
      [id],
    )) as [unknown[], number];
    return count > 0 ? { done: true } : this.refusal(id);
  }
}

export class VolumeConnectorStore extends VolumeStore<VolumeConnectorRow, VolumeConnectorFields> {
  constructor(dataSource: DataSource) {
    super(dataSource, {
      table: 'volume_connectors',
      columns: { uuid: 'uuid', type: 'varchar', connector_id: 'varchar', extra: 'jsonb' },
      sortKeys: VOLUME_CONNECTOR_SORT_KEYS,
      conflict: (error, fields) => {
        if (isUniqueViolation(error, 'volume_connectors_type_connector_id_key'))
          return new Conflict(
            `A volume connector with type ${String(fields.type)} and connector ID ` +
              `${String(fields.connector_id)} already exists.`,
          );
        if (isUniqueViolation(error, 'volume_connectors_uuid_key'))
          return new Conflict(
            `A volume connector with UUID ${String(fields.uuid)} already exists.`,
          );
        return undefined;
      },
    });
  }
}

export class VolumeTargetStore extends VolumeStore<VolumeTargetRow, VolumeTargetFields> {
  constructor(dataSource: DataSource) {
    super(dataSource, {
      table: 'volume_targets',
      columns: {
        uuid: 'uuid',
        volume_type: 'varchar',
        properties: 'jsonb',
        boot_index: 'integer',
        volume_id: 'varchar',
        extra: 'jsonb',
      },
      sortKeys: VOLUME_TARGET_SORT_KEYS,
      conflict: (error, fields) => {
        if (isUniqueViolation(error, 'volume_targets_node_id_boot_index_key'))
          return new Conflict(
            `A volume target with boot index '${String(fields.boot_index)}' for the same node ` +
              'already exists.',
          );
        if (isUniqueViolation(error, 'volume_targets_uuid_key'))
          return new Conflict(`A volume target with UUID ${String(fields.uuid)} already exists.`);
        return undefined;
      },
    });
  }
}
