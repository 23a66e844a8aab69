import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { poolOf } from './data-source';
import type { SqlFence } from './nodes';

/** A node's firmware component as stored: Ironic's field names are the column names. */
export interface FirmwareComponentRow {
  node_id: number;
  component: string;
  initial_version: string;
  current_version: string;
  last_version_flashed: string | null;
  vendor: string | null;
  model: string | null;
  serial_number: string | null;
  created_at: Date;
  updated_at: Date | null;
}

/** A component as a firmware interface read it. */
export interface FirmwareComponentInput {
  component: string;
  current_version: string;
  vendor?: string | null;
  model?: string | null;
  serial_number?: string | null;
}

/** Nodes' firmware components in PostgreSQL, by parameterised SQL. */
export class FirmwareComponentStore {
  private readonly pool: pg.Pool;

  constructor(dataSource: DataSource) {
    this.pool = poolOf(dataSource);
  }

  async list(nodeId: number): Promise<FirmwareComponentRow[]> {
    const { rows } = await this.pool.query<FirmwareComponentRow>(
      'SELECT * FROM firmware_information WHERE node_id = $1 ORDER BY component',
      [nodeId],
    );
    return rows;
  }

  /**
   * Records the components read now, in one statement fenced by `fence`: a new component starts
   * with its version as `initial_version`; a known one keeps its `initial_version`, and a
   * changed version becomes `current_version` and `last_version_flashed` (`updated_at`).
   * Components no longer read are kept, as Ironic keeps them. Returns whether it was written.
   */
  async record(
    nodeId: number,
    components: readonly FirmwareComponentInput[],
    fence: SqlFence,
  ): Promise<boolean> {
    const records = JSON.stringify(
      components.map((c) => ({
        component: c.component,
        current_version: c.current_version,
        vendor: c.vendor ?? null,
        model: c.model ?? null,
        serial_number: c.serial_number ?? null,
      })),
    );
    const params: unknown[] = [nodeId, records];
    const condition = fence((value) => {
      params.push(value);
      return `$${params.length}`;
    });
    const { rows } = await this.pool.query<{ held: boolean }>(
      `WITH held AS (SELECT 1 FROM nodes WHERE id = $1 AND ${condition} FOR UPDATE),
       written AS (
         INSERT INTO firmware_information AS f
           (node_id, component, initial_version, current_version, vendor, model, serial_number)
         SELECT $1, s.component, s.current_version, s.current_version, s.vendor, s.model,
                s.serial_number
         FROM jsonb_to_recordset($2::jsonb) AS s(component text, current_version text,
              vendor text, model text, serial_number text)
         WHERE EXISTS (SELECT 1 FROM held)
         ON CONFLICT (node_id, component) DO UPDATE SET
           current_version = EXCLUDED.current_version,
           last_version_flashed = CASE WHEN f.current_version IS DISTINCT FROM
             EXCLUDED.current_version THEN EXCLUDED.current_version ELSE f.last_version_flashed END,
           vendor = EXCLUDED.vendor, model = EXCLUDED.model,
           serial_number = EXCLUDED.serial_number,
           updated_at = CASE WHEN (f.current_version, f.vendor, f.model, f.serial_number)
             IS DISTINCT FROM (EXCLUDED.current_version, EXCLUDED.vendor, EXCLUDED.model,
             EXCLUDED.serial_number) THEN now() ELSE f.updated_at END
         RETURNING 1)
       SELECT EXISTS (SELECT 1 FROM held) AS held`,
      params,
    );
    return rows[0]?.held === true;
  }
}
