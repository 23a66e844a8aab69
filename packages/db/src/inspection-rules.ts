import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { InspectionRuleAlreadyExists, InvalidParameterValue } from '@galvanic/errors';
import { poolOf } from './data-source';
import { afterMarker, isUniqueViolation, parameters } from './paging';

/** One condition or action of a rule, as the API took it (`op`, `args`, `loop`, `multiple`). */
export type InspectionRuleOperation = Record<string, unknown> & { op: string };

/** An inspection rule as stored: Ironic's field names are the column names. */
export interface InspectionRuleRow {
  id: number;
  uuid: string;
  description: string | null;
  /** The inspection phase the rule runs in; Ironic has only `main`. */
  phase: string;
  /** Rules run from the highest priority down. */
  priority: number;
  /** A sensitive rule's conditions and actions are never shown. */
  sensitive: boolean;
  conditions: InspectionRuleOperation[];
  actions: InspectionRuleOperation[];
  created_at: Date;
  updated_at: Date | null;
}

export interface InspectionRuleFields {
  description?: string | null;
  phase?: string;
  priority?: number;
  sensitive?: boolean;
  conditions?: InspectionRuleOperation[];
  actions?: InspectionRuleOperation[];
}

/** Columns a list may be sorted by (Ironic refuses `actions` and `conditions`). */
export const INSPECTION_RULE_SORT_KEYS = [
  'id',
  'uuid',
  'description',
  'phase',
  'priority',
  'sensitive',
  'created_at',
  'updated_at',
] as const;
const SORT_KEY_SET: ReadonlySet<string> = new Set(INSPECTION_RULE_SORT_KEYS);
const NULLABLE: ReadonlySet<string> = new Set(['description', 'updated_at']);

export interface InspectionRuleListQuery {
  filters: { phase?: string };
  limit: number;
  marker?: InspectionRuleRow;
  sortKey: string;
  sortDir: 'asc' | 'desc';
}

/** Inspection rules in PostgreSQL; every call is one parameterised statement. */
export class InspectionRuleStore {
  private readonly pool: pg.Pool;

  constructor(dataSource: DataSource) {
    this.pool = poolOf(dataSource);
  }

  private async rows(sql: string, params: unknown[]): Promise<InspectionRuleRow[]> {
    return (await this.pool.query<InspectionRuleRow>(sql, params)).rows;
  }

  async create(
    values: Required<InspectionRuleFields> & { uuid: string },
  ): Promise<InspectionRuleRow> {
    try {
      const [row] = await this.rows(
        `INSERT INTO inspection_rules
           (uuid, description, phase, priority, sensitive, conditions, actions)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          values.uuid,
          values.description,
          values.phase,
          values.priority,
          values.sensitive,
          JSON.stringify(values.conditions),
          JSON.stringify(values.actions),
        ],
      );
      return row!;
    } catch (error) {
      if (isUniqueViolation(error, 'inspection_rules_uuid_key'))
        throw new InspectionRuleAlreadyExists(values.uuid);
      throw error;
    }
  }

  async getByUuid(uuid: string): Promise<InspectionRuleRow | undefined> {
    return (await this.rows('SELECT * FROM inspection_rules WHERE uuid = $1', [uuid]))[0];
  }

  /** The rules of a phase in the order they run: highest priority first, then oldest. */
  async listForPhase(phase: string): Promise<InspectionRuleRow[]> {
    return this.rows(
      'SELECT * FROM inspection_rules WHERE phase = $1 ORDER BY priority DESC, id ASC',
      [phase],
    );
  }

  async list(query: InspectionRuleListQuery): Promise<InspectionRuleRow[]> {
    if (!SORT_KEY_SET.has(query.sortKey))
      throw new InvalidParameterValue(
        `The sort_key value ${query.sortKey} is an invalid field for sorting`,
      );
    const { params, bind } = parameters();
    const dir = query.sortDir === 'desc' ? 'desc' : 'asc';
    const column = query.sortKey as (typeof INSPECTION_RULE_SORT_KEYS)[number];
    const where: string[] = [];
    if (query.filters.phase !== undefined) where.push(`r.phase = ${bind(query.filters.phase)}`);
    if (query.marker) {
      where.push(
        afterMarker(
          { alias: 'r', table: 'inspection_rules' },
          `r.${column}`,
          NULLABLE.has(column),
          dir,
          query.marker[column],
          bind,
          query.marker.id,
        ),
      );
    }
    const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const order = column === 'id' ? `r.id ${dir}` : `r.${column} ${dir}, r.id ${dir}`;
    return this.rows(
      `SELECT * FROM inspection_rules r${clause} ORDER BY ${order} LIMIT ${bind(query.limit)}`,
      params,
    );
  }

  async update(id: number, changes: InspectionRuleFields): Promise<InspectionRuleRow | undefined> {
    const { params, bind } = parameters();
    const sets = ['updated_at = now()'];
    if (changes.description !== undefined) sets.push(`description = ${bind(changes.description)}`);
    if (changes.phase !== undefined) sets.push(`phase = ${bind(changes.phase)}`);
    if (changes.priority !== undefined) sets.push(`priority = ${bind(changes.priority)}`);
    if (changes.sensitive !== undefined) sets.push(`sensitive = ${bind(changes.sensitive)}`);
    if (changes.conditions !== undefined)
      sets.push(`conditions = ${bind(JSON.stringify(changes.conditions))}`);
    if (changes.actions !== undefined)
      sets.push(`actions = ${bind(JSON.stringify(changes.actions))}`);
    return (
      await this.rows(
        `UPDATE inspection_rules SET ${sets.join(', ')} WHERE id = ${bind(id)} RETURNING *`,
        params,
      )
    )[0];
  }

  /** Deletes a rule; returns whether it existed. */
  async delete(id: number): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM inspection_rules WHERE id = $1', [id]);
    return (result.rowCount ?? 0) > 0;
  }
}
