import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@galvanic/testing';
import {
  createDataSource,
  migrate,
  NodeStore,
  PortStore,
  type NodeFields,
  type NodeSortKey,
  type PortFields,
  type PortSortKey,
} from '../src';

/** What was published to a conductor queue in the reported attack, as a key of `changes`. */
const INJECTED_KEY =
  "description = (SELECT 'INJECTED user=' || current_user || ' ' || version()), extra";
const HOSTILE_KEYS = [
  INJECTED_KEY,
  'name) VALUES (NULL); DROP TABLE nodes; --',
  '"description"',
  'reservation',
  'id',
];
const HOSTILE_TEXT = "x' OR '1'='1'; DROP TABLE nodes; --";

describe('node and port stores refuse column names and sort keys that are not theirs', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let nodes: NodeStore;
  let ports: PortStore;
  let nodeId: number;
  let nodeUuid: string;
  let portId: number;
  let portUuid: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url });
    await dataSource.initialize();
    await migrate(dataSource);
    nodes = new NodeStore(dataSource);
    ports = new PortStore(dataSource);
    const node = await nodes.create({
      uuid: randomUUID(),
      driver: 'fake-hardware',
      name: 'victim',
      description: 'original',
      extra: { kept: true },
    });
    nodeId = node.id;
    nodeUuid = node.uuid;
    const port = await ports.create(node.uuid, {
      uuid: randomUUID(),
      address: '52:54:00:00:00:01',
      extra: { kept: true },
    });
    portId = port!.id;
    portUuid = port!.uuid;
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function nodeRowAsStored(): Promise<Record<string, unknown>> {
    const rows = (await dataSource.query(
      'SELECT name, description, extra, updated_at FROM nodes WHERE id = $1',
      [nodeId],
    )) as Record<string, unknown>[];
    return rows[0]!;
  }

  async function portRowAsStored(): Promise<Record<string, unknown>> {
    const rows = (await dataSource.query(
      'SELECT address, extra, updated_at FROM ports WHERE id = $1',
      [portId],
    )) as Record<string, unknown>[];
    return rows[0]!;
  }

  it.each(HOSTILE_KEYS)(
    'NodeStore.update refuses the key %j and leaves the row as it was',
    async (key) => {
      const before = await nodeRowAsStored();
      const changes = { [key]: { x: 1 } } as unknown as NodeFields;
      await expect(nodes.update(nodeId, changes)).rejects.toMatchObject({
        kind: 'InvalidParameterValue',
      });
      expect(await nodeRowAsStored()).toEqual(before);
      expect(before.description).toBe('original');
    },
  );

  it.each(HOSTILE_KEYS)('NodeStore.create refuses the key %j and stores nothing', async (key) => {
    const count = async () =>
      Number(
        ((await dataSource.query('SELECT count(*) AS n FROM nodes')) as { n: string }[])[0]!.n,
      );
    const before = await count();
    const fields = {
      uuid: randomUUID(),
      driver: 'fake-hardware',
      [key]: 'x',
    } as unknown as NodeFields & { uuid: string; driver: string };
    await expect(nodes.create(fields)).rejects.toMatchObject({ kind: 'InvalidParameterValue' });
    expect(await count()).toBe(before);
  });

  it('NodeStore.list refuses a sort key that is not a listed column', async () => {
    for (const sortKey of [`name; DELETE FROM nodes; --`, '(SELECT 1)', 'driver_info']) {
      await expect(
        nodes.list({ filters: {}, limit: 10, sortKey: sortKey as NodeSortKey, sortDir: 'asc' }),
      ).rejects.toMatchObject({ kind: 'InvalidParameterValue' });
    }
    expect(await nodes.getById(nodeId)).toBeDefined();
  });

  it('NodeStore.list binds filter values and markers: hostile text matches nothing and runs nothing', async () => {
    const filtered = await nodes.list({
      filters: { driver: HOSTILE_TEXT, owner: HOSTILE_TEXT, description_contains: HOSTILE_TEXT },
      limit: 10,
      sortKey: 'name',
      sortDir: 'asc',
    });
    expect(filtered).toEqual([]);
    const marker = { ...(await nodes.getById(nodeId))!, name: `a${HOSTILE_TEXT}` };
    const after = await nodes.list({
      filters: {},
      limit: 10,
      marker,
      sortKey: 'name',
      sortDir: 'asc',
    });
    expect(after.map((row) => row.name)).toEqual(['victim']);
    expect(await nodes.getByName(HOSTILE_TEXT)).toBeUndefined();
    expect(await nodes.getByUuid(nodeUuid)).toBeDefined();
  });

  it.each(HOSTILE_KEYS)(
    'PortStore.update refuses the key %j and leaves the port as it was',
    async (key) => {
      const before = await portRowAsStored();
      const changes = { [key]: { x: 1 } } as unknown as PortFields;
      await expect(ports.update(portId, changes)).rejects.toMatchObject({
        kind: 'InvalidParameterValue',
      });
      expect(await portRowAsStored()).toEqual(before);
    },
  );

  it('PortStore.update refuses to change the uuid, which is not a settable port field', async () => {
    const changes = { uuid: randomUUID() } as unknown as PortFields;
    await expect(ports.update(portId, changes)).rejects.toMatchObject({
      kind: 'InvalidParameterValue',
    });
    expect((await ports.getByUuid(portUuid))?.id).toBe(portId);
  });

  it.each(HOSTILE_KEYS)('PortStore.create refuses the key %j and stores nothing', async (key) => {
    const fields = {
      uuid: randomUUID(),
      address: '52:54:00:00:00:02',
      [key]: 'x',
    } as unknown as PortFields & { uuid: string; address: string };
    await expect(ports.create(nodeUuid, fields)).rejects.toMatchObject({
      kind: 'InvalidParameterValue',
    });
    const rows = (await dataSource.query('SELECT id FROM ports WHERE address = $1', [
      '52:54:00:00:00:02',
    ])) as unknown[];
    expect(rows).toEqual([]);
  });

  it('PortStore.list refuses a sort key that is not a listed column, and binds filters', async () => {
    await expect(
      ports.list({
        filters: {},
        limit: 10,
        sortKey: 'address; DELETE FROM ports; --' as PortSortKey,
        sortDir: 'asc',
      }),
    ).rejects.toMatchObject({ kind: 'InvalidParameterValue' });
    expect(
      await ports.list({
        filters: { address: HOSTILE_TEXT },
        limit: 10,
        sortKey: 'id',
        sortDir: 'asc',
      }),
    ).toEqual([]);
    expect(await ports.getByUuid(portUuid)).toBeDefined();
  });
});
