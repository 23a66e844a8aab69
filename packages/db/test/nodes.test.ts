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
