import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ironic's `node_history` (API 1.78, with the state fields of 1.115): events recorded on a node's
 * errors and state changes, gone with their node; and `firmware_information` (1.86, with the
 * hardware identity of 1.114): the firmware components a node's firmware interface reported. Nodes gain `parent_node` (1.83, the UUID of the
 * node they belong to), `instance_name` (1.104) and `disable_power_off` (1.95).
 */
export class NodeHistoryChildren1766100000000 implements MigrationInterface {
  name = 'NodeHistoryChildren1766100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE node_history (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL UNIQUE,
        node_id integer NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
        conductor varchar(255),
        event_type varchar(255) NOT NULL,
        severity varchar(255) NOT NULL,
        event text NOT NULL,
        "user" varchar(255),
        state varchar(32),
        target_provision_state varchar(32),
        duration_seconds integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz
      )`);
    await runner.query('CREATE INDEX node_history_node_id_idx ON node_history (node_id, id)');
    await runner.query('ALTER TABLE nodes ADD COLUMN parent_node uuid');
    await runner.query('ALTER TABLE nodes ADD COLUMN instance_name varchar(255)');
    await runner.query(
      'ALTER TABLE nodes ADD COLUMN disable_power_off boolean NOT NULL DEFAULT false',
    );
    await runner.query('CREATE INDEX nodes_parent_node_idx ON nodes (parent_node)');
    await runner.query(`
      CREATE TABLE firmware_information (
        node_id integer NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
        component varchar(255) NOT NULL,
        initial_version varchar(255) NOT NULL,
        current_version varchar(255) NOT NULL,
        last_version_flashed varchar(255),
        vendor varchar(255),
        model varchar(255),
        serial_number varchar(255),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz,
        PRIMARY KEY (node_id, component)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE nodes DROP COLUMN disable_power_off');
    await runner.query('ALTER TABLE nodes DROP COLUMN instance_name');
    await runner.query('ALTER TABLE nodes DROP COLUMN parent_node');
    await runner.query('DROP TABLE firmware_information');
    await runner.query('DROP TABLE node_history');
  }
}
