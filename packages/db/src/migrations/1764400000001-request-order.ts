import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per node, the issue time (epoch ms, the api's clock) of the newest request a conductor
 * accepted for it: an older request never runs after it.
 */
export class RequestOrder1764400000001 implements MigrationInterface {
  name = 'RequestOrder1764400000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE nodes ADD COLUMN newest_request_issued_at bigint');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE nodes DROP COLUMN newest_request_issued_at');
  }
}
