import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@galvanic/testing';
import { createDataSource, migrate, NodeStore, type NodeRow, type NodeSortKey } from '../src';

describe('NodeStore pagination', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: NodeStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url });
    await dataSource.initialize();
    await migrate(dataSource);
    store = new NodeStore(dataSource);
    for (const [name, owner] of [
      ['a', 'x'],
      [null, 'y'],
      ['c', null],
      [null, null],
      ['b', 'x'],
      ['d', null],
    ] as const) {
      const node = await store.create({ uuid: randomUUID(), driver: 'fake-hardware', name, owner });
      // Half of them changed since, so updated_at has NULLs and (microsecond) timestamps.
      if (owner !== null) await store.update(node.id, { description: 'changed' });
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function pageThrough(sortKey: NodeSortKey, sortDir: 'asc' | 'desc'): Promise<number[]> {
    const seen: number[] = [];
    let marker: NodeRow | undefined;
    for (;;) {
      const page = await store.list({ filters: {}, limit: 2, marker, sortKey, sortDir });
      seen.push(...page.map((row) => row.id));
      if (page.length < 2) return seen;
      marker = page.at(-1);
    }
  }

  it.each([
    ['name', 'asc'],
    ['name', 'desc'],
    ['owner', 'asc'],
    ['owner', 'desc'],
    ['id', 'desc'],
    ['created_at', 'asc'],
    ['updated_at', 'asc'],
    ['updated_at', 'desc'],
  ] as const)(
    'pages through every node sorted by %s %s, NULLs included, each once',
    async (key, dir) => {
      const all = await store.list({ filters: {}, limit: 100, sortKey: key, sortDir: dir });
      expect(await pageThrough(key, dir)).toEqual(all.map((row) => row.id));
      expect(all).toHaveLength(6);
    },
  );
});

describe('NodeStore updates', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url, maxPoolSize: 2 });
    await dataSource.initialize();
    await migrate(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('apply in every shape, past the prepared ones too, from stores sharing a pool', async () => {
    // Two stores on one pool prepare their statements side by side.
    const stores = [
      new NodeStore(dataSource),
      new NodeStore(dataSource, { withReservations: true }),
    ];
    const node = await stores[0]!.create({ uuid: randomUUID(), driver: 'fake-hardware' });
    const columns = [
      'description',
      'owner',
      'lessee',
      'conductor_group',
      'resource_class',
      'name',
      'console_interface',
    ] as const;
    // Every non-empty subset of seven columns: 127 shapes, more than a store prepares.
    for (let mask = 1; mask < 1 << columns.length; mask += 1) {
      const chosen = columns.filter((_, bit) => mask & (1 << bit));
      const changes = Object.fromEntries(chosen.map((column) => [column, `${column}-${mask}`]));
      for (const store of stores) {
        const saved = await store.update(node.id, changes);
        expect(saved).toMatchObject(changes);
      }
    }
    // The same shape again, with other values, from either store.
    for (const store of stores) {
      expect(await store.update(node.id, { description: 'again', owner: null })).toMatchObject({
        description: 'again',
        owner: null,
      });
    }
  });
});
