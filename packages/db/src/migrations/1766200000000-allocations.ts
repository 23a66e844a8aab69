import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ironic's allocations, and the allocation a node is reserved for. The partial unique indexes
 * keep the invariant that no node is ever held by two allocations, whatever a conductor does.
 */
export class Allocations1766200000000 implements MigrationInterface {
  name = 'Allocations1766200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE allocations (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL UNIQUE,
        name varchar(255) UNIQUE,
        node_id integer REFERENCES nodes(id) ON DELETE CASCADE,
        state varchar(15) NOT NULL,
        owner varchar(255),
        last_error text,
        resource_class varchar(80),
        traits jsonb NOT NULL DEFAULT '[]',
        candidate_nodes jsonb NOT NULL DEFAULT '[]',
        extra jsonb NOT NULL DEFAULT '{}',
        conductor_affinity varchar(255),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz
      )`);
    await runner.query(
      'CREATE UNIQUE INDEX allocations_node_id_idx ON allocations (node_id) WHERE node_id IS NOT NULL',
    );
    await runner.query('CREATE INDEX allocations_state_idx ON allocations (state)');
    // No foreign key: deleting an allocation clears it on its node in the same statement.
    await runner.query('ALTER TABLE nodes ADD COLUMN allocation_id integer');
    await runner.query(
      'CREATE UNIQUE INDEX nodes_allocation_id_idx ON nodes (allocation_id) WHERE allocation_id IS NOT NULL',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE nodes DROP COLUMN allocation_id');
    await runner.query('DROP TABLE allocations');
  }
}
