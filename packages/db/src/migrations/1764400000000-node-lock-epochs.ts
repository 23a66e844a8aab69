import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Node lock epochs: every take of a node's lock bumps its epoch (see @galvanic/node-locks), so a
 * conductor that lost its lock session can prove nobody else held a lock before it took it back.
 */
export class NodeLockEpochs1764400000000 implements MigrationInterface {
  name = 'NodeLockEpochs1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS node_lock_epochs (
        node_id integer PRIMARY KEY,
        epoch bigint NOT NULL,
        holder text NOT NULL DEFAULT ''
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE node_lock_epochs');
  }
}
