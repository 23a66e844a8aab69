import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { poolOf } from './data-source';
import type { SqlFence } from './nodes';

/** A node's BIOS setting as stored: Ironic's field names are the column names. */
export interface BiosSettingRow {
  node_id: number;
  name: string;
  value: string | null;
  attribute_type: string | null;
  allowable_values: string[] | null;
  lower_bound: number | null;
  max_length: number | null;
  min_length: number | null;
  read_only: boolean | null;
  reset_required: boolean | null;
  unique: boolean | null;
  upper_bound: number | null;
  created_at: Date;
  updated_at: Date | null;
}

/** A setting as a bios interface read it; values are kept as text, as Ironic keeps them. */
export interface BiosSettingInput {
  name: string;
  value: string | number | boolean | null;
  attribute_type?: string | null;
  allowable_values?: readonly string[] | null;
  lower_bound?: number | null;
  max_length?: number | null;
  min_length?: number | null;
  read_only?: boolean | null;
  reset_required?: boolean | null;
  unique?: boolean | null;
  upper_bound?: number | null;
}

/** Every column but the node's and the times, in the order of the record set below. */
const FIELD_COLUMNS = `name, value, attribute_type, allowable_values, lower_bound, max_length,
  min_length, read_only, reset_required, "unique", upper_bound`;
const RECORD_TYPES = `name text, value text, attribute_type text, allowable_values jsonb,
  lower_bound bigint, max_length integer, min_length integer, read_only boolean,
  reset_required boolean, "unique" boolean, upper_bound bigint`;
/** bigint bounds as numbers (node-postgres reads bigint as text). */
const SELECT_LIST = `node_id, name, value, attribute_type, allowable_values,
  lower_bound::float8 AS lower_bound, max_length, min_length, read_only, reset_required, "unique",
  upper_bound::float8 AS upper_bound, created_at, updated_at`;

/** A value as Ironic's string field keeps it: Python's `str`, so booleans are `True`/`False`. */
function textOf(value: string | number | boolean | null): string | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

function recordOf(setting: BiosSettingInput): Record<string, unknown> {
  return {
    name: setting.name,
    value: textOf(setting.value),
    attribute_type: setting.attribute_type ?? null,
    allowable_values: setting.allowable_values ?? null,
    lower_bound: setting.lower_bound ?? null,
    max_length: setting.max_length ?? null,
    min_length: setting.min_length ?? null,
    read_only: setting.read_only ?? null,
    reset_required: setting.reset_required ?? null,
    unique: setting.unique ?? null,
    upper_bound: setting.upper_bound ?? null,
  };
}

/** Nodes' BIOS settings in PostgreSQL, by parameterised SQL. */
export class BiosSettingStore {
  private readonly pool: pg.Pool;

  constructor(dataSource: DataSource) {
    this.pool = poolOf(dataSource);
  }

  /** A node's settings, by name. */
  async list(nodeId: number): Promise<BiosSettingRow[]> {
    const { rows } = await this.pool.query<BiosSettingRow>(
      `SELECT ${SELECT_LIST} FROM bios_settings WHERE node_id = $1 ORDER BY name`,
      [nodeId],
    );
    return rows;
  }

  async get(nodeId: number, name: string): Promise<BiosSettingRow | undefined> {
    const { rows } = await this.pool.query<BiosSettingRow>(
      `SELECT ${SELECT_LIST} FROM bios_settings WHERE node_id = $1 AND name = $2`,
      [nodeId, name],
    );
    return rows[0];
  }

  /**
   * Makes `settings` the node's settings, in one transaction, as Ironic's cache does: names no
   * longer read are deleted, new ones created, changed ones updated (`updated_at`), unchanged
   * ones left as they are. With a `fence` (such as "the node's lock is still ours") nothing is
   * written unless it holds; returns whether the settings were written.
   */
  async replace(
    nodeId: number,
    settings: readonly BiosSettingInput[],
    fence?: SqlFence,
  ): Promise<boolean> {
    const byName = new Map(settings.map((s) => [s.name, recordOf(s)]));
    const records = JSON.stringify([...byName.values()]);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (fence) {
        const params: unknown[] = [nodeId];
        const condition = fence((value) => {
          params.push(value);
          return `$${params.length}`;
        });
        // Locks the node's row, so the node cannot go while its settings are written.
        const { rowCount } = await client.query(
          `SELECT 1 FROM nodes WHERE id = $1 AND ${condition} FOR UPDATE`,
          params,
        );
        if (!rowCount) {
          await client.query('ROLLBACK');
          return false;
        }
      }
      await client.query(
        `DELETE FROM bios_settings WHERE node_id = $1
           AND name NOT IN (SELECT s.name FROM jsonb_to_recordset($2::jsonb) AS s(name text))`,
        [nodeId, records],
      );
      await client.query(
        `INSERT INTO bios_settings AS b (node_id, ${FIELD_COLUMNS})
         SELECT $1, ${FIELD_COLUMNS} FROM jsonb_to_recordset($2::jsonb) AS s(${RECORD_TYPES})
         ON CONFLICT (node_id, name) DO UPDATE SET
           value = EXCLUDED.value, attribute_type = EXCLUDED.attribute_type,
           allowable_values = EXCLUDED.allowable_values, lower_bound = EXCLUDED.lower_bound,
           max_length = EXCLUDED.max_length, min_length = EXCLUDED.min_length,
           read_only = EXCLUDED.read_only, reset_required = EXCLUDED.reset_required,
           "unique" = EXCLUDED."unique", upper_bound = EXCLUDED.upper_bound, updated_at = now()
         WHERE (b.value, b.attribute_type, b.allowable_values, b.lower_bound, b.max_length,
                b.min_length, b.read_only, b.reset_required, b."unique", b.upper_bound)
           IS DISTINCT FROM
               (EXCLUDED.value, EXCLUDED.attribute_type, EXCLUDED.allowable_values,
                EXCLUDED.lower_bound, EXCLUDED.max_length, EXCLUDED.min_length,
                EXCLUDED.read_only, EXCLUDED.reset_required, EXCLUDED."unique",
                EXCLUDED.upper_bound)`,
        [nodeId, records],
      );
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
