import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A node's current service step (API 1.87), as `clean_step` and `deploy_step` are kept. */
export class NodeServiceStep1766800000000 implements MigrationInterface {
  name = 'NodeServiceStep1766800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE nodes ADD COLUMN service_step jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE nodes DROP COLUMN service_step');
  }
}
