import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Conductors1763700000000 implements MigrationInterface {
  name = 'Conductors1763700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE conductors (
        id serial PRIMARY KEY,
        hostname varchar(255) NOT NULL UNIQUE,
        conductor_group varchar(255) NOT NULL DEFAULT '',
        drivers jsonb NOT NULL DEFAULT '[]',
        online boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE conductor_hardware_interfaces (
        id serial PRIMARY KEY,
        conductor_id integer NOT NULL REFERENCES conductors(id) ON DELETE CASCADE,
        hardware_type varchar(255) NOT NULL,
        interface_type varchar(16) NOT NULL,
        interface_name varchar(255) NOT NULL,
        "default" boolean NOT NULL DEFAULT false,
        UNIQUE (conductor_id, hardware_type, interface_type, interface_name)
      )`);
    await runner.query(
      'CREATE INDEX conductor_hardware_interfaces_type_idx ON conductor_hardware_interfaces (hardware_type)',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE conductor_hardware_interfaces');
    await runner.query('DROP TABLE conductors');
  }
}
