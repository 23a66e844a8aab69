import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Ironic's chassis, and each node's optional chassis. */
export class Chassis1764900000000 implements MigrationInterface {
  name = 'Chassis1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE chassis (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL UNIQUE,
        description varchar(255),
        extra jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz
      )`);
    // RESTRICT: a chassis that still holds nodes cannot go (Ironic's ChassisNotEmpty).
    await runner.query(
      'ALTER TABLE nodes ADD COLUMN chassis_id integer REFERENCES chassis(id) ON DELETE RESTRICT',
    );
    await runner.query(
      'CREATE INDEX nodes_chassis_id_idx ON nodes (chassis_id) WHERE chassis_id IS NOT NULL',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE nodes DROP COLUMN chassis_id');
    await runner.query('DROP TABLE chassis');
  }
}
