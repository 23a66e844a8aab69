import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ironic's port groups (and each port's optional group), the port fields of 1.100, 1.101 and
 * 1.111, and a node's volume connectors and targets.
 */
export class PortgroupsVolume1766000000000 implements MigrationInterface {
  name = 'PortgroupsVolume1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE portgroups (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL UNIQUE,
        name varchar(255) UNIQUE,
        node_id integer NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
        address varchar(18) UNIQUE,
        extra jsonb NOT NULL DEFAULT '{}',
        internal_info jsonb NOT NULL DEFAULT '{}',
        standalone_ports_supported boolean NOT NULL DEFAULT true,
        mode varchar(255) NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}',
        physical_network varchar(64),
        category varchar(80),
        dynamic_portgroup boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz
      )`);
    await runner.query('CREATE INDEX portgroups_node_id_idx ON portgroups (node_id)');
    // NO ACTION (checked at the statement's end): a port group with ports cannot go on its own
    // (Ironic's PortgroupNotEmpty), but deleting the node takes both in one statement.
    await runner.query(`
      ALTER TABLE ports
        ADD COLUMN portgroup_id integer REFERENCES portgroups(id),
        ADD COLUMN vendor varchar(32),
        ADD COLUMN category varchar(80),
        ADD COLUMN available_for_dynamic_portgroup boolean NOT NULL DEFAULT true`);
    await runner.query(
      'CREATE INDEX ports_portgroup_id_idx ON ports (portgroup_id) WHERE portgroup_id IS NOT NULL',
    );
    await runner.query(`
      CREATE TABLE volume_connectors (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL UNIQUE,
        node_id integer NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
        type varchar(32) NOT NULL,
        connector_id varchar(255) NOT NULL,
        extra jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz,
        CONSTRAINT volume_connectors_type_connector_id_key UNIQUE (type, connector_id)
      )`);
    await runner.query('CREATE INDEX volume_connectors_node_id_idx ON volume_connectors (node_id)');
    await runner.query(`
      CREATE TABLE volume_targets (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL UNIQUE,
        node_id integer NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
        volume_type varchar(64) NOT NULL,
        properties jsonb NOT NULL DEFAULT '{}',
        boot_index integer NOT NULL,
        volume_id varchar(36) NOT NULL,
        extra jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz,
        CONSTRAINT volume_targets_node_id_boot_index_key UNIQUE (node_id, boot_index)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE volume_targets');
    await runner.query('DROP TABLE volume_connectors');
    await runner.query(`
      ALTER TABLE ports DROP COLUMN portgroup_id, DROP COLUMN vendor, DROP COLUMN category,
        DROP COLUMN available_for_dynamic_portgroup`);
    await runner.query('DROP TABLE portgroups');
  }
}
