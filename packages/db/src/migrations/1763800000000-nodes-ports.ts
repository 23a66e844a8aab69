import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Nodes and ports, with Ironic's field names as column names. */
export class NodesPorts1763800000000 implements MigrationInterface {
  name = 'NodesPorts1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE nodes (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL UNIQUE,
        name varchar(255),
        driver varchar(255) NOT NULL,
        driver_info jsonb NOT NULL DEFAULT '{}',
        driver_internal_info jsonb NOT NULL DEFAULT '{}',
        instance_info jsonb NOT NULL DEFAULT '{}',
        properties jsonb NOT NULL DEFAULT '{}',
        extra jsonb NOT NULL DEFAULT '{}',
        network_data jsonb NOT NULL DEFAULT '{}',
        raid_config jsonb NOT NULL DEFAULT '{}',
        target_raid_config jsonb NOT NULL DEFAULT '{}',
        clean_step jsonb NOT NULL DEFAULT '{}',
        deploy_step jsonb NOT NULL DEFAULT '{}',
        traits jsonb NOT NULL DEFAULT '[]',
        bios_interface varchar(255),
        boot_interface varchar(255),
        console_interface varchar(255),
        deploy_interface varchar(255),
        firmware_interface varchar(255),
        inspect_interface varchar(255),
        management_interface varchar(255),
        network_interface varchar(255),
        power_interface varchar(255),
        raid_interface varchar(255),
        rescue_interface varchar(255),
        storage_interface varchar(255),
        vendor_interface varchar(255),
        power_state varchar(32),
        target_power_state varchar(32),
        provision_state varchar(32) NOT NULL DEFAULT 'enroll',
        target_provision_state varchar(32),
        provision_updated_at timestamptz,
        last_error text,
        maintenance boolean NOT NULL DEFAULT false,
        maintenance_reason text,
        fault varchar(255),
        console_enabled boolean NOT NULL DEFAULT false,
        instance_uuid uuid,
        conductor_group varchar(255) NOT NULL DEFAULT '',
        owner varchar(255),
        lessee varchar(255),
        resource_class varchar(80),
        description text,
        automated_clean boolean,
        protected boolean NOT NULL DEFAULT false,
        protected_reason text,
        retired boolean NOT NULL DEFAULT false,
        retired_reason text,
        boot_mode varchar(64),
        secure_boot boolean,
        shard varchar(255),
        inspection_started_at timestamptz,
        inspection_finished_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz
      )`);
    await runner.query(
      'CREATE UNIQUE INDEX nodes_name_ci_idx ON nodes (lower(name)) WHERE name IS NOT NULL',
    );
    await runner.query(
      'CREATE UNIQUE INDEX nodes_instance_uuid_idx ON nodes (instance_uuid) WHERE instance_uuid IS NOT NULL',
    );
    await runner.query('CREATE INDEX nodes_driver_idx ON nodes (driver)');
    await runner.query('CREATE INDEX nodes_provision_state_idx ON nodes (provision_state)');
    await runner.query('CREATE INDEX nodes_conductor_group_idx ON nodes (conductor_group)');
    await runner.query(`
      CREATE TABLE ports (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL UNIQUE,
        address varchar(18) NOT NULL UNIQUE,
        node_id integer NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
        name varchar(255) UNIQUE,
        extra jsonb NOT NULL DEFAULT '{}',
        internal_info jsonb NOT NULL DEFAULT '{}',
        local_link_connection jsonb NOT NULL DEFAULT '{}',
        pxe_enabled boolean NOT NULL DEFAULT true,
        physical_network varchar(64),
        is_smartnic boolean NOT NULL DEFAULT false,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz
      )`);
    await runner.query('CREATE INDEX ports_node_id_idx ON ports (node_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE ports');
    await runner.query('DROP TABLE nodes');
  }
}
