import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { poolOf } from './data-source';
import type { SqlFence } from './nodes';

/** A node's inventory as its agent reported it, with the plugin data beside it. */
export interface NodeInventoryRow {
  node_id: number;
  inventory_data: Record<string, unknown>;
  plugin_data: Record<string, unknown>;
  created_at: Date;
  updated_at: Date | null;
}

/** Nodes' hardware inventories in PostgreSQL (Ironic's `node_inventory`). */
export class NodeInventoryStore {
  private readonly pool: pg.Pool;

  constructor(dataSource: DataSource) {
    this.pool = poolOf(dataSource);
  }

  async get(nodeId: number): Promise<NodeInventoryRow | undefined> {
    const { rows } = await this.pool.query<NodeInventoryRow>(
      'SELECT * FROM node_inventory WHERE node_id = $1',
      [nodeId],
    );
    return rows[0];
  }

  /**
   * Keeps `inventory` as the node's, replacing the one it had. With a `fence` (the node's lock is
   * still ours) nothing is written unless it holds; returns whether it was written.
   */
  async save(
    nodeId: number,
    inventory: Record<string, unknown>,
    pluginData: Record<string, unknown>,
    fence?: SqlFence,
  ): Promise<boolean> {
    const params: unknown[] = [nodeId, JSON.stringify(inventory), JSON.stringify(pluginData)];
    const condition = fence
      ? fence((value) => {
          params.push(value);
          return `$${params.length}`;
        })
      : 'TRUE';
    const { rowCount } = await this.pool.query(
      `INSERT INTO node_inventory (node_id, inventory_data, plugin_data)
       SELECT n.id, $2::jsonb, $3::jsonb FROM nodes n WHERE n.id = $1 AND ${condition}
       ON CONFLICT (node_id) DO UPDATE SET inventory_data = EXCLUDED.inventory_data,
         plugin_data = EXCLUDED.plugin_data, updated_at = now()`,
      params,
    );
    return (rowCount ?? 0) > 0;
  }
}
