import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Ironic's inspection rules (API 1.96): conditions and actions applied after inspection. */
export class InspectionRules1766900000000 implements MigrationInterface {
  name = 'InspectionRules1766900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE inspection_rules (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL UNIQUE,
        description varchar(255),
        phase varchar(16) NOT NULL DEFAULT 'main',
        priority integer NOT NULL DEFAULT 0,
        sensitive boolean NOT NULL DEFAULT false,
        conditions jsonb NOT NULL DEFAULT '[]',
        actions jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz
      )`);
    await runner.query('CREATE INDEX inspection_rules_phase_idx ON inspection_rules (phase)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE inspection_rules');
  }
}
