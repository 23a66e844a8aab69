import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@galvanic/testing';
import {
  ChassisStore,
  createDataSource,
  migrate,
  NodeStore,
  type ChassisRow,
  type ChassisSortKey,
} from '../src';

describe('ChassisStore', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: ChassisStore;
  const created: ChassisRow[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url });
    await dataSource.initialize();
    await migrate(dataSource);
    store = new ChassisStore(dataSource);
    for (const description of ['b', null, 'a', null, 'c', 'a']) {
      created.push(await store.create({ uuid: randomUUID(), description }));
    }
    // Some rows get an updated_at, so that nullable column has both kinds too.
    await store.update(created[0]!.id, { extra: { k: 1 } });
    await store.update(created[3]!.id, { description: null });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function pageThrough(sortKey: ChassisSortKey, sortDir: 'asc' | 'desc'): Promise<number[]> {
    const seen: number[] = [];
    let marker: ChassisRow | undefined;
    for (;;) {
      const page = await store.list({ limit: 2, marker, sortKey, sortDir });
      seen.push(...page.map((row) => row.id));
      if (page.length < 2) return seen;
      marker = page.at(-1);
    }
  }

  it.each([
    ['description', 'asc'],
    ['description', 'desc'],
    ['updated_at', 'asc'],
    ['updated_at', 'desc'],
    ['uuid', 'asc'],
    ['id', 'desc'],
  ] as const)(
    'pages through every chassis sorted by %s %s, NULLs included, each once',
    async (key, dir) => {
      const all = await store.list({ limit: 100, sortKey: key, sortDir: dir });
      expect(all).toHaveLength(created.length);
      expect(await pageThrough(key, dir)).toEqual(all.map((row) => row.id));
    },
  );

  it('refuses a sort key that is not a column it lists', async () => {
    await expect(
      store.list({ limit: 1, sortKey: 'extra; DROP TABLE chassis', sortDir: 'asc' }),
    ).rejects.toThrow(/cannot be sorted/);
  });

  it('updates only the given columns and stamps updated_at', async () => {
    const row = await store.create({ uuid: randomUUID(), description: 'keep', extra: { a: 1 } });
    const updated = await store.update(row.id, { extra: { b: 2 } });
    expect(updated).toMatchObject({ description: 'keep', extra: { b: 2 } });
    expect(updated!.updated_at).toBeInstanceOf(Date);
    expect(await store.update(-1, { description: 'x' })).toBeUndefined();
  });

  it('deletes an empty chassis, keeps one with nodes, and tells which', async () => {
    const nodes = new NodeStore(dataSource);
    const full = await store.create({ uuid: randomUUID() });
    const node = await nodes.create({
      uuid: randomUUID(),
      driver: 'fake-hardware',
      chassis_id: full.id,
    });
    expect(await store.delete(full.uuid)).toBe('not-empty');
    expect(await store.getByUuid(full.uuid)).toBeDefined();
    await nodes.delete(node.id);
    expect(await store.delete(full.uuid)).toBe('deleted');
    expect(await store.delete(full.uuid)).toBe('not-found');
  });

  it('knows the UUIDs of chassis by id, reading only the ones it has not seen', async () => {
    const fresh = new ChassisStore(dataSource);
    const ids = [created[0]!.id, created[1]!.id];
    const uuids = await fresh.uuidsOf(ids);
    expect(ids.map((id) => uuids.get(id))).toEqual([created[0]!.uuid, created[1]!.uuid]);
    expect((await fresh.uuidsOf([-5])).get(-5)).toBeUndefined();
  });
});
