import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@galvanic/testing';
import { BiosSettingStore, createDataSource, migrate, NodeStore } from '../src';

describe('BiosSettingStore', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let nodes: NodeStore;
  let store: BiosSettingStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url });
    await dataSource.initialize();
    await migrate(dataSource);
    nodes = new NodeStore(dataSource);
    store = new BiosSettingStore(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('replaces a node’s settings, keeping the unchanged ones as they were', async () => {
    const node = await nodes.create({ uuid: randomUUID(), driver: 'fake-hardware' });
    await store.replace(node.id, [
      { name: 'B', value: 1, lower_bound: 0, upper_bound: 2 ** 40, allowable_values: null },
      { name: 'A', value: true, attribute_type: 'Enumeration', allowable_values: ['x', 'y'] },
      { name: 'C', value: null, unique: true },
    ]);
    const first = await store.list(node.id);
    expect(first.map((s) => [s.name, s.value])).toEqual([
      ['A', 'True'],
      ['B', '1'],
      ['C', null],
    ]);
    expect(first[0]).toMatchObject({ attribute_type: 'Enumeration', allowable_values: ['x', 'y'] });
    expect(first[1]).toMatchObject({ lower_bound: 0, upper_bound: 2 ** 40, updated_at: null });
    expect(first[2]).toMatchObject({ unique: true, read_only: null });

    await store.replace(node.id, [
      { name: 'B', value: 1, lower_bound: 0, upper_bound: 2 ** 40 },
      { name: 'A', value: 'false', attribute_type: 'Enumeration', allowable_values: ['x', 'y'] },
      { name: 'D', value: 'new' },
    ]);
    const second = await store.list(node.id);
    expect(second.map((s) => [s.name, s.value])).toEqual([
      ['A', 'false'],
      ['B', '1'],
      ['D', 'new'],
    ]);
    expect(second[0]!.updated_at).toBeInstanceOf(Date);
    expect(second[1]!.updated_at).toBeNull();
    expect(await store.get(node.id, 'D')).toMatchObject({ name: 'D', value: 'new' });
    expect(await store.get(node.id, 'C')).toBeUndefined();

    // A fence that does not hold writes nothing.
    expect(await store.replace(node.id, [], () => 'false')).toBe(false);
    expect(await store.list(node.id)).toHaveLength(3);

    // The settings go with their node.
    await nodes.delete(node.id);
    expect(await store.list(node.id)).toEqual([]);
  });
});
