import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The RPC contract version (`major.minor`) each conductor speaks, so the api routes only to
 * conductors of its major. Conductors registered before this column speak none and get no calls.
 */
export class ConductorContractVersion1764500000000 implements MigrationInterface {
  name = 'ConductorContractVersion1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE conductors ADD COLUMN contract_version varchar(32)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE conductors DROP COLUMN contract_version');
  }
}
