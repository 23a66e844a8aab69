import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Ironic's runbooks (API 1.92): named, ordered steps for manual cleaning or servicing. */
export class Runbooks1766800000001 implements MigrationInterface {
  name = 'Runbooks1766800000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE runbooks (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL UNIQUE,
        name varchar(255) NOT NULL UNIQUE,
        steps jsonb NOT NULL DEFAULT '[]',
        disable_ramdisk boolean NOT NULL DEFAULT false,
        public boolean NOT NULL DEFAULT false,
        owner varchar(255),
        extra jsonb NOT NULL DEFAULT '{}',
        traits jsonb NOT NULL DEFAULT '[]',
        description varchar(255),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE runbooks');
  }
}
