import type pg from 'pg';
import type { DataSource } from 'typeorm';
import {
  InvalidParameterValue,
  RunbookAlreadyExists,
  RunbookDuplicateName,
} from '@galvanic/errors';
import { poolOf } from './data-source';
import { afterMarker, isUniqueViolation, parameters } from './paging';

/** One step of a runbook, as Ironic keeps it: run in `order`, for cleaning or servicing. */
export interface RunbookStep {
  interface: string;
  step: string;
  args: Record<string, unknown>;
  order: number;
}

/** A runbook as stored: Ironic's field names are the column names. */
export interface RunbookRow {
  id: number;
  uuid: string;
  name: string;
  steps: RunbookStep[];
  disable_ramdisk: boolean;
  public: boolean;
  owner: string | null;
  extra: Record<string, unknown>;
  /** API 1.112: a node with any of these traits may run the runbook. */
  traits: string[];
  description: string | null;
  created_at: Date;
  updated_at: Date | null;
}

export type RunbookFields = Partial<Omit<RunbookRow, 'id' | 'uuid' | 'created_at' | 'updated_at'>>;

const WRITABLE = [
  'name',
  'steps',
  'disable_ramdisk',
  'public',
  'owner',
  'extra',
  'traits',
  'description',
] as const satisfies readonly (keyof RunbookFields)[];
const JSON_COLUMNS: ReadonlySet<string> = new Set(['steps', 'extra', 'traits']);

/** Columns a list may be sorted by (Ironic refuses `extra`, `steps` and `traits`). */
export const RUNBOOK_SORT_KEYS = [
  'id',
  'uuid',
  'name',
  'disable_ramdisk',
  'public',
  'owner',
  'description',
  'created_at',
  'updated_at',
] as const;
const SORT_KEY_SET: ReadonlySet<string> = new Set(RUNBOOK_SORT_KEYS);
const NULLABLE_SORT_KEYS: ReadonlySet<string> = new Set(['owner', 'description', 'updated_at']);

export interface RunbookListQuery {
  limit: number;
  marker?: RunbookRow;
  sortKey: string;
  sortDir: 'asc' | 'desc';
}

const stored = (column: string, value: unknown) =>
  JSON_COLUMNS.has(column) ? JSON.stringify(value) : value;

/** Runbooks in PostgreSQL; every call is one parameterised statement. */
export class RunbookStore {
  private readonly pool: pg.Pool;

  constructor(dataSource: DataSource) {
    this.pool = poolOf(dataSource);
  }

  private async rows(sql: string, params: unknown[]): Promise<RunbookRow[]> {
    return (await this.pool.query<RunbookRow>(sql, params)).rows;
  }

  private conflict(error: unknown, uuid: string | undefined, name: string | undefined): unknown {
    if (isUniqueViolation(error, 'runbooks_uuid_key'))
      return new RunbookAlreadyExists(String(uuid));
    if (isUniqueViolation(error, 'runbooks_name_key'))
      return new RunbookDuplicateName(String(name));
    return error;
  }

  async create(values: RunbookFields & { uuid: string; name: string }): Promise<RunbookRow> {
    const { params, bind } = parameters();
    const columns = ['uuid', ...WRITABLE.filter((column) => values[column] !== undefined)];
    const placeholders = columns.map((column) =>
      bind(stored(column, values[column as keyof typeof values])),
    );
    try {
      const [row] = await this.rows(
        `INSERT INTO runbooks (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING *`,
        params,
      );
      return row!;
    } catch (error) {
      throw this.conflict(error, values.uuid, values.name);
    }
  }

  async getByUuid(uuid: string): Promise<RunbookRow | undefined> {
    return (await this.rows('SELECT * FROM runbooks WHERE uuid = $1', [uuid]))[0];
  }

  async getByName(name: string): Promise<RunbookRow | undefined> {
    return (await this.rows('SELECT * FROM runbooks WHERE name = $1', [name]))[0];
  }

  async list(query: RunbookListQuery): Promise<RunbookRow[]> {
    if (!SORT_KEY_SET.has(query.sortKey))
      throw new InvalidParameterValue(
        `The sort_key value ${query.sortKey} is an invalid field for sorting`,
      );
    const { params, bind } = parameters();
    const dir = query.sortDir === 'desc' ? 'desc' : 'asc';
    const column = query.sortKey as (typeof RUNBOOK_SORT_KEYS)[number];
    const where = query.marker
      ? ` WHERE ${afterMarker(
          { alias: 'r', table: 'runbooks' },
          `r.${column}`,
          NULLABLE_SORT_KEYS.has(column),
          dir,
          query.marker[column],
          bind,
          query.marker.id,
        )}`
      : '';
    const order = column === 'id' ? `id ${dir}` : `${column} ${dir}, id ${dir}`;
    return this.rows(
      `SELECT * FROM runbooks r${where} ORDER BY ${order} LIMIT ${bind(query.limit)}`,
      params,
    );
  }

  async update(id: number, changes: RunbookFields): Promise<RunbookRow | undefined> {
    const { params, bind } = parameters();
    const sets = ['updated_at = now()'];
    for (const column of WRITABLE) {
      if (changes[column] !== undefined)
        sets.push(`${column} = ${bind(stored(column, changes[column]))}`);
    }
    try {
      return (
        await this.rows(
          `UPDATE runbooks SET ${sets.join(', ')} WHERE id = ${bind(id)} RETURNING *`,
          params,
        )
      )[0];
    } catch (error) {
      throw this.conflict(error, undefined, changes.name);
    }
  }

  /** Deletes a runbook; returns whether it existed. */
  async delete(id: number): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM runbooks WHERE id = $1', [id]);
    return (result.rowCount ?? 0) > 0;
  }
}
