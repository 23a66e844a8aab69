import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { poolOf } from './data-source';

/** One event of a node's history as stored: Ironic's field names are the column names. */
export interface NodeHistoryRow {
  id: number;
  uuid: string;
  node_id: number;
  conductor: string | null;
  event_type: string;
  severity: 'INFO' | 'ERROR';
  event: string;
  user: string | null;
  state: string | null;
  target_provision_state: string | null;
  duration_seconds: number | null;
  created_at: Date;
}

export type NodeHistoryInput = Omit<NodeHistoryRow, 'id' | 'uuid' | 'created_at'>;

export interface NodeHistoryPage {
  nodeId: number;
  limit: number;
  /** The event after which the page starts. */
  marker?: NodeHistoryRow;
  sortDir: 'asc' | 'desc';
}

/** Events kept per node, as Ironic's `[conductor] node_history_max_entries` default. */
export const NODE_HISTORY_MAX_ENTRIES = 300;

/** Nodes' history events in PostgreSQL, oldest first by default, as Ironic lists them. */
export class NodeHistoryStore {
  private readonly pool: pg.Pool;

  constructor(dataSource: DataSource) {
    this.pool = poolOf(dataSource);
  }

  /** Records an event, and drops the node's oldest beyond NODE_HISTORY_MAX_ENTRIES. */
  async record(event: NodeHistoryInput): Promise<NodeHistoryRow> {
    const { rows } = await this.pool.query<NodeHistoryRow>(
      `WITH added AS (
         INSERT INTO node_history (uuid, node_id, conductor, event_type, severity, event, "user",
           state, target_provision_state, duration_seconds)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *),
       pruned AS (
         DELETE FROM node_history WHERE node_id = $2 AND id IN (
           SELECT id FROM node_history WHERE node_id = $2 ORDER BY id DESC OFFSET $11))
       SELECT * FROM added`,
      [
        randomUUID(),
        event.node_id,
        event.conductor,
        event.event_type,
        event.severity,
        event.event,
        event.user,
        event.state,
        event.target_provision_state,
        event.duration_seconds,
        NODE_HISTORY_MAX_ENTRIES - 1,
      ],
    );
    return rows[0]!;
  }

  async list(page: NodeHistoryPage): Promise<NodeHistoryRow[]> {
    const dir = page.sortDir === 'desc' ? 'DESC' : 'ASC';
    const params: unknown[] = [page.nodeId, page.limit];
    let after = '';
    if (page.marker) {
      params.push(page.marker.id);
      after = ` AND id ${page.sortDir === 'desc' ? '<' : '>'} $3`;
    }
    const { rows } = await this.pool.query<NodeHistoryRow>(
      `SELECT * FROM node_history WHERE node_id = $1${after} ORDER BY id ${dir} LIMIT $2`,
      params,
    );
    return rows;
  }

  /** The event with this UUID, if it is one of the node's. */
  async get(nodeId: number, uuid: string): Promise<NodeHistoryRow | undefined> {
    const { rows } = await this.pool.query<NodeHistoryRow>(
      'SELECT * FROM node_history WHERE node_id = $1 AND uuid = $2',
      [nodeId, uuid],
    );
    return rows[0];
  }
}
