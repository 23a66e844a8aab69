import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@galvanic/testing';
import { AllocationStore, createDataSource, migrate, NodeStore, type AllocationRow } from '../src';

/**
 * The reservation's compare-and-set on its own, without the node locks that normally keep two
 * conductors apart: the database alone lets one allocation through per node.
 */
describe('AllocationStore reservations', () => {
  let database: TestDatabase;
  let dataSources: DataSource[];
  let stores: AllocationStore[];
  const noFence = () => 'true';

  const allocation = (store: AllocationStore): Promise<AllocationRow> =>
    store.create(
      {
        uuid: randomUUID(),
        name: null,
        owner: null,
        resource_class: 'cas',
        traits: [],
        candidate_nodes: [],
        extra: {},
      },
      null,
    );

  /** A node any allocation of class `cas` may take. */
  const availableNode = (nodes: NodeStore) =>
    nodes.create({
      uuid: randomUUID(),
      driver: 'fake-hardware',
      resource_class: 'cas',
      provision_state: 'available',
      power_state: 'power off',
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    // Two pools, as two conductors would have.
    dataSources = [
      createDataSource({ url: database.url }),
      createDataSource({ url: database.url }),
    ];
    await Promise.all(dataSources.map((ds) => ds.initialize()));
    await migrate(dataSources[0]!);
    stores = dataSources.map((ds) => new AllocationStore(ds));
  });

  afterAll(async () => {
    await Promise.all((dataSources ?? []).map((ds) => ds.destroy()));
    await database?.drop();
  });

  it('of 20 allocations racing for one node, exactly one reserves it', async () => {
    const nodes = new NodeStore(dataSources[0]!);
    const node = await availableNode(nodes);
    const racers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => allocation(stores[i % 2]!)),
    );
    const outcomes = await Promise.all(
      racers.map((a, i) => stores[i % 2]!.reserve(a, node.id, noFence)),
    );
    const winners = outcomes.flatMap((o) => (o.kind === 'reserved' ? [o.allocation] : []));
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'unsuitable')).toHaveLength(19);
    const after = await nodes.getById(node.id);
    expect(after).toMatchObject({ allocation_id: winners[0]!.id, instance_uuid: winners[0]!.uuid });
    // The losers are still allocating, with no node.
    for (const loser of racers.filter((a) => a.id !== winners[0]!.id)) {
      expect(await stores[0]!.getById(loser.id)).toMatchObject({
        state: 'allocating',
        node_id: null,
      });
    }
  });

  it('a reservation for an allocation deleted meanwhile is rolled back', async () => {
    const nodes = new NodeStore(dataSources[0]!);
    const node = await availableNode(nodes);
    const gone = await allocation(stores[0]!);
    await stores[0]!.deleteById(gone.id);
    expect(await stores[1]!.reserve(gone, node.id, noFence)).toEqual({ kind: 'gone' });
    expect(await nodes.getById(node.id)).toMatchObject({
      allocation_id: null,
      instance_uuid: null,
    });
  });

  it("offers an owned allocation the nodes its project owns or leases only (Ironic's project filter)", async () => {
    const nodes = new NodeStore(dataSources[0]!);
    const store = stores[0]!;
    const project = `proj-${randomUUID()}`;
    const withClass = (fields: Record<string, unknown>) =>
      nodes.create({
        uuid: randomUUID(),
        driver: 'fake-hardware',
        resource_class: 'owned',
        provision_state: 'available',
        power_state: 'power off',
        ...fields,
      });
    const owned = await withClass({ owner: project });
    const leased = await withClass({ owner: 'someone-else', lessee: project });
    await withClass({ owner: 'someone-else' });
    await withClass({});
    const mine = await store.create(
      {
        uuid: randomUUID(),
        name: null,
        owner: project,
        resource_class: 'owned',
        traits: [],
        candidate_nodes: [],
        extra: {},
      },
      null,
    );
    const offered = (await store.candidates(mine)).map((c) => c.uuid).sort();
    expect(offered).toEqual([owned.uuid, leased.uuid].sort());
    const unowned = await store.create(
      {
        uuid: randomUUID(),
        name: null,
        owner: null,
        resource_class: 'owned',
        traits: [],
        candidate_nodes: [],
        extra: {},
      },
      null,
    );
    expect(await store.candidates(unowned)).toHaveLength(4);
  });
});
