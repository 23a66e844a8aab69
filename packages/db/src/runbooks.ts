import type { DataSource } from 'typeorm';
import { RunbookAlreadyExists, RunbookDuplicateName } from '@galvanic/errors';
import { poolOf } from './data-source';
import { NamedTable, type NamedListQuery } from './named-table';
import { isUniqueViolation, parameters } from './paging';

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

export type RunbookListQuery = NamedListQuery<RunbookRow>;

const stored = (column: string, value: unknown) =>
  JSON_COLUMNS.has(column) ? JSON.stringify(value) : value;

/** Runbooks in PostgreSQL; every call is one parameterised statement. */
export class RunbookStore {
  private readonly table: NamedTable<RunbookRow>;

  constructor(dataSource: DataSource) {
    this.table = new NamedTable(poolOf(dataSource), {
      table: 'runbooks',
      sortKeys: RUNBOOK_SORT_KEYS,
      nullableSortKeys: ['owner', 'description', 'updated_at'],
      badSortKey: (key) => `The sort_key value ${key} is an invalid field for sorting`,
    });
  }

  getByUuid = (uuid: string) => this.table.getByUuid(uuid);
  getByName = (name: string) => this.table.getByName(name);
  list = (query: RunbookListQuery) => this.table.list(query);
  /** Deletes a runbook; returns whether it existed. */
  delete = (id: number) => this.table.delete(id);

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
      const [row] = await this.table.rows(
        `INSERT INTO runbooks (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING *`,
        params,
      );
      return row!;
    } catch (error) {
      throw this.conflict(error, values.uuid, values.name);
    }
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
        await this.table.rows(
          `UPDATE runbooks SET ${sets.join(', ')} WHERE id = ${bind(id)} RETURNING *`,
          params,
        )
      )[0];
    } catch (error) {
      throw this.conflict(error, undefined, changes.name);
    }
  }
}
