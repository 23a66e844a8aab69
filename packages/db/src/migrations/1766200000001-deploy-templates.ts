import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Ironic's deploy templates; a template's steps are kept with it, in order. */
export class DeployTemplates1766200000001 implements MigrationInterface {
  name = 'DeployTemplates1766200000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE deploy_templates (
        id serial PRIMARY KEY,
        uuid uuid NOT NULL UNIQUE,
        name varchar(255) NOT NULL UNIQUE,
        steps jsonb NOT NULL DEFAULT '[]',
        extra jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE deploy_templates');
  }
}
