import type pg from 'pg';
import { InvalidParameterValue } from '@galvanic/errors';
import { afterMarker, parameters } from './paging';

/** A row of a table whose resources are found by UUID or unique name. */
export interface NamedRow {
  id: number;
  uuid: string;
  name: string;
}

export interface NamedListQuery<Row> {
  limit: number;
  marker?: Row;
  sortKey: string;
  sortDir: 'asc' | 'desc';
}

export interface NamedTableOptions {
  table: string;
  sortKeys: readonly string[];
  /** Sort keys whose column may be null (paged past with NULLS ordering). */
  nullableSortKeys: readonly string[];
  /** The refusal of a sort key the table does not sort by. */
  badSortKey: (key: string) => string;
}

/**
 * The reads and deletes that deploy templates and runbooks share: by UUID, by name, a page in a
 * sort order after a marker, delete by id. Each call is one parameterised statement.
 */
export class NamedTable<Row extends NamedRow> {
  constructor(
    private readonly pool: pg.Pool,
    private readonly options: NamedTableOptions,
  ) {}

  async rows(sql: string, params: unknown[]): Promise<Row[]> {
    return (await this.pool.query<Row>(sql, params)).rows;
  }

  async getByUuid(uuid: string): Promise<Row | undefined> {
    return (await this.rows(`SELECT * FROM ${this.options.table} WHERE uuid = $1`, [uuid]))[0];
  }

  async getByName(name: string): Promise<Row | undefined> {
    return (await this.rows(`SELECT * FROM ${this.options.table} WHERE name = $1`, [name]))[0];
  }

  async list(query: NamedListQuery<Row>): Promise<Row[]> {
    const { table, sortKeys, nullableSortKeys, badSortKey } = this.options;
    if (!sortKeys.includes(query.sortKey))
      throw new InvalidParameterValue(badSortKey(query.sortKey));
    const { params, bind } = parameters();
    const dir = query.sortDir === 'desc' ? 'desc' : 'asc';
    const column = query.sortKey;
    const where = query.marker
      ? ` WHERE ${afterMarker(
          { alias: 't', table },
          `t.${column}`,
          nullableSortKeys.includes(column),
          dir,
          (query.marker as unknown as Record<string, unknown>)[column],
          bind,
          query.marker.id,
        )}`
      : '';
    const order = column === 'id' ? `id ${dir}` : `${column} ${dir}, id ${dir}`;
    return this.rows(
      `SELECT * FROM ${table} t${where} ORDER BY ${order} LIMIT ${bind(query.limit)}`,
      params,
    );
  }

  /** Deletes a row; returns whether it existed. */
  async delete(id: number): Promise<boolean> {
    const result = await this.pool.query(`DELETE FROM ${this.options.table} WHERE id = $1`, [id]);
    return (result.rowCount ?? 0) > 0;
  }
}
