import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ironic's `node_inventory`: the hardware inventory a node's agent reported during inspection
 * (API 1.81), and the plugin data that came with it. One per node; it goes with its node.
 */
export class NodeInventory1766700000000 implements MigrationInterface {
  name = 'NodeInventory1766700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE node_inventory (
        node_id integer PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
        inventory_data jsonb NOT NULL,
        plugin_data jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE node_inventory');
  }
}
