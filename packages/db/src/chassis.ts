import type { DataSource } from 'typeorm';
import { Conflict } from '@galvanic/errors';
import { deleteUnlessReferenced, type GuardedDeletion } from './delete-unless-referenced';
import { isUniqueViolation } from './paging';

/** A chassis as stored: Ironic's field names are the column names. */
export interface ChassisRow {
  id: number;
  uuid: string;
  description: string | null;
  extra: Record<string, unknown>;
  created_at: Date;
  updated_at: Date | null;
}

/** Columns the API may set on a chassis. */
export interface ChassisFields {
  description?: string | null;
  extra?: Record<string, unknown>;
}

/** Columns a chassis list may be sorted by (Ironic refuses `extra`). */
export const CHASSIS_SORT_KEYS = ['id', 'uuid', 'description', 'created_at', 'updated_at'] as const;
export type ChassisSortKey = (typeof CHASSIS_SORT_KEYS)[number];
const CHASSIS_SORT_KEY_SET: ReadonlySet<string> = new Set(CHASSIS_SORT_KEYS);
const NULLABLE_SORT_KEYS: ReadonlySet<string> = new Set(['description', 'updated_at']);

/** The settable columns with their SQL types; no other name ever reaches a statement. */
const COLUMNS: readonly { name: keyof ChassisFields; type: string }[] = [
  { name: 'description', type: 'varchar' },
  { name: 'extra', type: 'jsonb' },
];

export interface ChassisListQuery {
  limit: number;
  /** The chassis after which the page starts. */
  marker?: ChassisRow;
  sortKey: string;
  sortDir: 'asc' | 'desc';
}

/** What deleting a chassis came to. */
export type ChassisDeletion = GuardedDeletion;

function encode(column: { type: string }, value: unknown): unknown {
  return column.type === 'jsonb' ? JSON.stringify(value) : value;
}

/** Chassis in PostgreSQL; every call is one parameterised statement. */
export class ChassisStore {
  /** Chassis UUIDs by id: a chassis' UUID never changes, so a node's chassis is looked up once. */
  private readonly uuids = new Map<number, string>();

  constructor(private readonly dataSource: DataSource) {}

  private async rows(sql: string, params: unknown[]): Promise<ChassisRow[]> {
    const rows = (await this.dataSource.query(sql, params)) as ChassisRow[];
    for (const row of rows) this.uuids.set(row.id, row.uuid);
    return rows;
  }

  async create(fields: ChassisFields & { uuid: string }): Promise<ChassisRow> {
    const given = COLUMNS.filter((c) => fields[c.name] !== undefined);
    const params: unknown[] = [fields.uuid, ...given.map((c) => encode(c, fields[c.name]))];
    const names = ['uuid', ...given.map((c) => c.name)];
    const values = ['$1::uuid', ...given.map((c, i) => `$${i + 2}::${c.type}`)];
    try {
      const [row] = await this.rows(
        `INSERT INTO chassis (${names.join(', ')}) VALUES (${values.join(', ')}) RETURNING *`,
        params,
      );
      return row!;
    } catch (error) {
      if (isUniqueViolation(error, 'chassis_uuid_key'))
        throw new Conflict(`A chassis with UUID ${fields.uuid} already exists.`);
      throw error;
    }
  }

  async getByUuid(uuid: string): Promise<ChassisRow | undefined> {
    return (await this.rows('SELECT * FROM chassis WHERE uuid = $1', [uuid]))[0];
  }

  /** The UUIDs of the chassis with these ids: from memory when known, else in one statement. */
  async uuidsOf(ids: readonly number[]): Promise<ReadonlyMap<number, string>> {
    const missing = [...new Set(ids.filter((id) => !this.uuids.has(id)))];
    if (missing.length > 0) {
      const found = (await this.dataSource.query(
        'SELECT id, uuid FROM chassis WHERE id = ANY($1::int[])',
        [missing],
      )) as { id: number; uuid: string }[];
      for (const row of found) this.uuids.set(row.id, row.uuid);
    }
    return this.uuids;
  }

  async list(query: ChassisListQuery): Promise<ChassisRow[]> {
    // The sort key becomes SQL: only the listed ones get that far, whatever the caller passed.
    if (!CHASSIS_SORT_KEY_SET.has(query.sortKey))
      throw new Error(`chassis cannot be sorted by ${JSON.stringify(query.sortKey)}`);
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    const column = query.sortKey;
    const dir = query.sortDir === 'desc' ? 'DESC' : 'ASC';
    if (query.marker) {
      const op = query.sortDir === 'desc' ? '<' : '>';
      const id = bind(query.marker.id);
      const value = query.marker[query.sortKey as ChassisSortKey];
      if (column === 'id') where.push(`id ${op} ${id}`);
      else if (value === null || value === undefined) {
        // PostgreSQL puts NULLs last ascending and first descending.
        where.push(
          query.sortDir === 'asc'
            ? `(${column} IS NULL AND id > ${id})`
            : `(${column} IS NOT NULL OR id < ${id})`,
        );
      } else {
        // The marker's value as stored: timestamps have microseconds, which a JS Date drops.
        const v = `(SELECT ${column} FROM chassis WHERE id = ${id})`;
        const later = `(${column} ${op} ${v} OR (${column} = ${v} AND id ${op} ${id}))`;
        where.push(
          NULLABLE_SORT_KEYS.has(column) && query.sortDir === 'asc'
            ? `(${later} OR ${column} IS NULL)`
            : later,
        );
      }
    }
    const order = column === 'id' ? `id ${dir}` : `${column} ${dir}, id ${dir}`;
    return this.rows(
      `SELECT * FROM chassis${where.length ? ` WHERE ${where.join(' AND ')}` : ''}` +
        ` ORDER BY ${order} LIMIT ${bind(query.limit)}`,
      params,
    );
  }

  /** Sets columns of one chassis; undefined when it is gone. */
  async update(id: number, changes: ChassisFields): Promise<ChassisRow | undefined> {
    const given = COLUMNS.filter((c) => changes[c.name] !== undefined);
    const params: unknown[] = [id, ...given.map((c) => encode(c, changes[c.name]))];
    const sets = [...given.map((c, i) => `${c.name} = $${i + 2}::${c.type}`), 'updated_at = now()'];
    // As a SELECT, so the driver answers rows (an UPDATE's answer is rows and a count).
    return (
      await this.rows(
        `WITH updated AS (UPDATE chassis SET ${sets.join(', ')} WHERE id = $1 RETURNING *)
         SELECT * FROM updated`,
        params,
      )
    )[0];
  }

  /** Deletes a chassis unless nodes are still in it. */
  delete(uuid: string): Promise<ChassisDeletion> {
    return deleteUnlessReferenced(
      this.dataSource,
      { table: 'chassis', children: { table: 'nodes', column: 'chassis_id' } },
      uuid,
    );
  }
}
