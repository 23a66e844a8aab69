import type pg from 'pg';
import type { DataSource } from 'typeorm';
import {
  DeployTemplateAlreadyExists,
  DeployTemplateDuplicateName,
  InvalidParameterValue,
} from '@galvanic/errors';
import { poolOf } from './data-source';
import { afterMarker, isUniqueViolation, parameters } from './paging';

/** One step of a deploy template, as Ironic keeps it. */
export interface DeployTemplateStep {
  interface: string;
  step: string;
  args: Record<string, unknown>;
  priority: number;
}

/** A deploy template as stored: Ironic's field names are the column names. */
export interface DeployTemplateRow {
  id: number;
  uuid: string;
  /** A trait: a node whose instance traits name it runs the steps at deploy time. */
  name: string;
  steps: DeployTemplateStep[];
  extra: Record<string, unknown>;
  created_at: Date;
  updated_at: Date | null;
}

export interface DeployTemplateFields {
  name?: string;
  steps?: DeployTemplateStep[];
  extra?: Record<string, unknown>;
}

/** Columns a list may be sorted by (Ironic refuses `extra` and `steps`). */
export const DEPLOY_TEMPLATE_SORT_KEYS = [
  'id',
  'uuid',
  'name',
  'created_at',
  'updated_at',
] as const;
const SORT_KEY_SET: ReadonlySet<string> = new Set(DEPLOY_TEMPLATE_SORT_KEYS);

export interface DeployTemplateListQuery {
  limit: number;
  marker?: DeployTemplateRow;
  sortKey: string;
  sortDir: 'asc' | 'desc';
}

/** Deploy templates in PostgreSQL; every call is one parameterised statement. */
export class DeployTemplateStore {
  private readonly pool: pg.Pool;

  constructor(dataSource: DataSource) {
    this.pool = poolOf(dataSource);
  }

  private async rows(sql: string, params: unknown[]): Promise<DeployTemplateRow[]> {
    return (await this.pool.query<DeployTemplateRow>(sql, params)).rows;
  }

  private conflict(error: unknown, uuid: string | undefined, name: string | undefined): unknown {
    if (isUniqueViolation(error, 'deploy_templates_uuid_key'))
      return new DeployTemplateAlreadyExists(String(uuid));
    if (isUniqueViolation(error, 'deploy_templates_name_key'))
      return new DeployTemplateDuplicateName(String(name));
    return error;
  }

  async create(
    values: Required<DeployTemplateFields> & { uuid: string },
  ): Promise<DeployTemplateRow> {
    try {
      const [row] = await this.rows(
        'INSERT INTO deploy_templates (uuid, name, steps, extra) VALUES ($1, $2, $3, $4) RETURNING *',
        [values.uuid, values.name, JSON.stringify(values.steps), JSON.stringify(values.extra)],
      );
      return row!;
    } catch (error) {
      throw this.conflict(error, values.uuid, values.name);
    }
  }

  async getByUuid(uuid: string): Promise<DeployTemplateRow | undefined> {
    return (await this.rows('SELECT * FROM deploy_templates WHERE uuid = $1', [uuid]))[0];
  }

  async getByName(name: string): Promise<DeployTemplateRow | undefined> {
    return (await this.rows('SELECT * FROM deploy_templates WHERE name = $1', [name]))[0];
  }

  /** The templates named by any of `names` (a node's instance traits), by name. */
  async listByNames(names: readonly string[]): Promise<DeployTemplateRow[]> {
    if (names.length === 0) return [];
    return this.rows('SELECT * FROM deploy_templates WHERE name = ANY($1) ORDER BY name', [
      [...names],
    ]);
  }

  async list(query: DeployTemplateListQuery): Promise<DeployTemplateRow[]> {
    if (!SORT_KEY_SET.has(query.sortKey))
      throw new InvalidParameterValue(`Deploy templates cannot be sorted by ${query.sortKey}.`);
    const { params, bind } = parameters();
    const dir = query.sortDir === 'desc' ? 'desc' : 'asc';
    const column = query.sortKey as (typeof DEPLOY_TEMPLATE_SORT_KEYS)[number];
    const where = query.marker
      ? ` WHERE ${afterMarker(
          { alias: 't', table: 'deploy_templates' },
          `t.${column}`,
          column === 'updated_at',
          dir,
          query.marker[column],
          bind,
          query.marker.id,
        )}`
      : '';
    const order = query.sortKey === 'id' ? `id ${dir}` : `${query.sortKey} ${dir}, id ${dir}`;
    return this.rows(
      `SELECT * FROM deploy_templates t${where} ORDER BY ${order} LIMIT ${bind(query.limit)}`,
      params,
    );
  }

  async update(id: number, changes: DeployTemplateFields): Promise<DeployTemplateRow | undefined> {
    const { params, bind } = parameters();
    const sets = ['updated_at = now()'];
    if (changes.name !== undefined) sets.push(`name = ${bind(changes.name)}`);
    if (changes.steps !== undefined) sets.push(`steps = ${bind(JSON.stringify(changes.steps))}`);
    if (changes.extra !== undefined) sets.push(`extra = ${bind(JSON.stringify(changes.extra))}`);
    try {
      return (
        await this.rows(
          `UPDATE deploy_templates SET ${sets.join(', ')} WHERE id = ${bind(id)} RETURNING *`,
          params,
        )
      )[0];
    } catch (error) {
      throw this.conflict(error, undefined, changes.name);
    }
  }

  /** Deletes a template; returns whether it existed. */
  async delete(id: number): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM deploy_templates WHERE id = $1', [id]);
    return (result.rowCount ?? 0) > 0;
  }
}
