import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ironic's `bios_settings`: each node's BIOS settings as its bios interface last read them, with
 * the BIOS registry's fields of API 1.74. They go with their node.
 */
export class BiosSettings1765000000000 implements MigrationInterface {
  name = 'BiosSettings1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE bios_settings (
        node_id integer NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        value text,
        attribute_type varchar(255),
        allowable_values jsonb,
        lower_bound bigint,
        max_length integer,
        min_length integer,
        read_only boolean,
        reset_required boolean,
        "unique" boolean,
        upper_bound bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz,
        PRIMARY KEY (node_id, name)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE bios_settings');
  }
}
