import type { DataSource } from 'typeorm';
import { DeployTemplateAlreadyExists, DeployTemplateDuplicateName } from '@galvanic/errors';
import { poolOf } from './data-source';
import { NamedTable, type NamedListQuery } from './named-table';
import { isUniqueViolation, parameters } from './paging';

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

export type DeployTemplateListQuery = NamedListQuery<DeployTemplateRow>;

/** Deploy templates in PostgreSQL; every call is one parameterised statement. */
export class DeployTemplateStore {
  private readonly table: NamedTable<DeployTemplateRow>;

  constructor(dataSource: DataSource) {
    this.table = new NamedTable(poolOf(dataSource), {
      table: 'deploy_templates',
      sortKeys: DEPLOY_TEMPLATE_SORT_KEYS,
      nullableSortKeys: ['updated_at'],
      badSortKey: (key) => `Deploy templates cannot be sorted by ${key}.`,
    });
  }

  getByUuid = (uuid: string) => this.table.getByUuid(uuid);
  getByName = (name: string) => this.table.getByName(name);
  list = (query: DeployTemplateListQuery) => this.table.list(query);
  /** Deletes a template; returns whether it existed. */
  delete = (id: number) => this.table.delete(id);

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
      const [row] = await this.table.rows(
        'INSERT INTO deploy_templates (uuid, name, steps, extra) VALUES ($1, $2, $3, $4) RETURNING *',
        [values.uuid, values.name, JSON.stringify(values.steps), JSON.stringify(values.extra)],
      );
      return row!;
    } catch (error) {
      throw this.conflict(error, values.uuid, values.name);
    }
  }

  /** The templates named by any of `names` (a node's instance traits), by name. */
  async listByNames(names: readonly string[]): Promise<DeployTemplateRow[]> {
    if (names.length === 0) return [];
    return this.table.rows('SELECT * FROM deploy_templates WHERE name = ANY($1) ORDER BY name', [
      [...names],
    ]);
  }

  async update(id: number, changes: DeployTemplateFields): Promise<DeployTemplateRow | undefined> {
    const { params, bind } = parameters();
    const sets = ['updated_at = now()'];
    if (changes.name !== undefined) sets.push(`name = ${bind(changes.name)}`);
    if (changes.steps !== undefined) sets.push(`steps = ${bind(JSON.stringify(changes.steps))}`);
    if (changes.extra !== undefined) sets.push(`extra = ${bind(JSON.stringify(changes.extra))}`);
    try {
      return (
        await this.table.rows(
          `UPDATE deploy_templates SET ${sets.join(', ')} WHERE id = ${bind(id)} RETURNING *`,
          params,
        )
      )[0];
    } catch (error) {
      throw this.conflict(error, undefined, changes.name);
    }
  }
}
