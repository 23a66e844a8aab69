import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@galvanic/testing';
import { createDataSource, migrate, NodeStore } from '../src';

describe('NodeStore prepared statements across a migration that adds a column', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url });
    await dataSource.initialize();
    await migrate(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('reads and writes nodes on every pooled connection after `nodes` gained a column', async () => {
    const store = new NodeStore(dataSource, { withReservations: true });
    const node = await store.create({ uuid: randomUUID(), driver: 'fake-hardware' });
    // Prepare the SELECT and the UPDATE on several connections at once.
    const everyConnection = <T>(work: () => Promise<T>) =>
      Promise.all(Array.from({ length: 8 }, work));
    await everyConnection(() => store.getByUuid(node.uuid, true));
    await everyConnection(() => store.update(node.id, { description: 'before' }));

    // What a rolling upgrade does while the old services still run.
    await dataSource.query('ALTER TABLE nodes ADD COLUMN added_by_a_later_release text');

    const read = await everyConnection(() => store.getByUuid(node.uuid, true));
    for (const row of read) {
      expect(row?.uuid).toBe(node.uuid);
      expect(row).toHaveProperty('added_by_a_later_release', null);
    }
    const written = await everyConnection(() => store.update(node.id, { description: 'after' }));
    for (const row of written) expect(row?.description).toBe('after');
    // A store made after the migration shares the pool's connections and their statements.
    const later = new NodeStore(dataSource, { withReservations: true });
    expect((await later.getByUuid(node.uuid, true))?.description).toBe('after');
  });
});
