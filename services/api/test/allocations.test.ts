import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  createInProcess,
  innerError,
  ironicLinks,
  IRONIC_TIMESTAMP,
  queryDatabase,
  type ApiRequestOptions,
  type HttpResult,
  type InProcessEnvironment,
} from '@galvanic/testing';

type Allocation = Record<string, unknown> & { uuid: string; state: string };
type Node = Record<string, unknown> & { uuid: string };

describe("Ironic's allocation API (in-process environment)", () => {
  let env: InProcessEnvironment;
  let base: string;

  /** Sends a request at microversion 1.`minor` (60 unless given). */
  const call = (method: string, path: string, options: ApiRequestOptions = {}) =>
    apiRequest(base, method, path, { minor: 60, ...options });
  const fault = (result: HttpResult) => innerError(result.body).faultstring;
  const sql = (text: string, params: unknown[] = []) =>
    queryDatabase(env.databaseUrl!, text, params);

  const node = async (ident: string) => (await call('GET', `/v1/nodes/${ident}`)).body as Node;
  const settles = (ident: string, state: string) =>
    expect
      .poll(async () => (await node(ident)).provision_state, { timeout: 30_000, interval: 100 })
      .toBe(state);

  /** A fake-hardware node taken to `available` through manage and provide, with traits. */
  const availableNode = async (
    name: string,
    fields: Record<string, unknown> = {},
    traits: string[] = [],
  ): Promise<Node> => {
    const created = await call('POST', '/v1/nodes', {
      body: { driver: 'fake-hardware', name, resource_class: 'gold', ...fields },
    });
    expect(created.status, created.text).toBe(201);
    // Allocations take only nodes with a known power state, and fake power reports none until set.
    const off = await call('PUT', `/v1/nodes/${name}/states/power`, {
      body: { target: 'power off' },
    });
    expect(off.status, off.text).toBe(202);
    await expect
      .poll(async () => (await node(name)).power_state, { timeout: 30_000, interval: 100 })
      .toBe('power off');
    for (const target of ['manage', 'provide']) {
      const moved = await call('PUT', `/v1/nodes/${name}/states/provision`, { body: { target } });
      expect(moved.status, moved.text).toBe(202);
      await settles(name, target === 'manage' ? 'manageable' : 'available');
    }
    // Node traits have no API here yet: set them where they are stored.
    if (traits.length > 0)
      await sql('UPDATE nodes SET traits = $2 WHERE name = $1', [name, JSON.stringify(traits)]);
    return node(name);
  };

  const allocate = async (body: Record<string, unknown>, minor?: number) => {
    const result = await call('POST', '/v1/allocations', { body, ...(minor ? { minor } : {}) });
    expect(result.status, result.text).toBe(201);
    return result.body as Allocation;
  };
  const settled = async (uuid: string): Promise<Allocation> => {
    await expect
      .poll(async () => ((await call('GET', `/v1/allocations/${uuid}`)).body as Allocation).state, {
        timeout: 30_000,
        interval: 100,
      })
      .not.toBe('allocating');
    return (await call('GET', `/v1/allocations/${uuid}`)).body as Allocation;
  };

  beforeAll(async () => {
    env = await createInProcess({ database: 'shared' });
    base = env.apiUrl;
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  it('reserves a matching node: instance_uuid and allocation_uuid on the node, node_uuid on the allocation', async () => {
    const target = await availableNode('alloc-match', {}, ['CUSTOM_GPU', 'CUSTOM_RAID']);
    await availableNode('alloc-wrong-class', { resource_class: 'silver' }, ['CUSTOM_GPU']);
    const created = await allocate({
      name: 'first-allocation',
      resource_class: 'gold',
      traits: ['CUSTOM_GPU'],
      candidate_nodes: ['alloc-match', 'alloc-wrong-class'],
      extra: { ticket: 7 },
      owner: null,
    });
    expect(created).toEqual({
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'first-allocation',
      node_uuid: null,
      state: 'allocating',
      last_error: null,
      resource_class: 'gold',
      candidate_nodes: [target.uuid, expect.any(String)],
      traits: ['CUSTOM_GPU'],
      extra: { ticket: 7 },
      owner: null,
      created_at: expect.stringMatching(IRONIC_TIMESTAMP),
      updated_at: null,
      links: ironicLinks(base, `allocations/${created.uuid}`),
    });
    const done = await settled(created.uuid);
    expect(done).toMatchObject({ state: 'active', node_uuid: target.uuid, last_error: null });
    const reserved = await node('alloc-match');
    expect(reserved.instance_uuid).toBe(created.uuid);
    expect(reserved.allocation_uuid).toBe(created.uuid);
    expect((reserved.instance_info as Record<string, unknown>).traits).toEqual(['CUSTOM_GPU']);
    // The node's own view of it.
    const mine = await call('GET', '/v1/nodes/alloc-match/allocation');
    expect(mine.status).toBe(200);
    expect((mine.body as Allocation).uuid).toBe(created.uuid);
    const byName = await call('GET', '/v1/allocations/first-allocation?fields=uuid,state');
    expect(byName.body).toEqual({
      uuid: created.uuid,
      state: 'active',
      links: ironicLinks(base, `allocations/${created.uuid}`),
    });
    // Listing with filters.
    const listed = await call('GET', `/v1/allocations?node=alloc-match`);
    expect((listed.body as { allocations: Allocation[] }).allocations.map((a) => a.uuid)).toEqual([
      created.uuid,
    ]);
    const none = await call('GET', '/v1/allocations?resource_class=silver&state=active');
    expect((none.body as { allocations: Allocation[] }).allocations).toEqual([]);
  });

  it('tries the node named like the allocation first (Ironic 1.79)', async () => {
    for (const name of ['named-a', 'named-b', 'named-c']) {
      await availableNode(name, { resource_class: 'lead' });
    }
    const done = await settled((await allocate({ resource_class: 'lead', name: 'named-b' })).uuid);
    expect(done.node_uuid).toBe((await node('named-b')).uuid);
  });

  it("fails in Ironic's words when nothing matches", async () => {
    const noClass = await settled((await allocate({ resource_class: 'platinum' })).uuid);
    expect(noClass.state).toBe('error');
    expect(noClass.node_uuid).toBeNull();
    expect(noClass.last_error).toBe(
      `Failed to process allocation ${noClass.uuid}: no available nodes match the resource class platinum.`,
    );
    await availableNode('alloc-no-traits', { resource_class: 'bronze' });
    const noTraits = await settled(
      (await allocate({ resource_class: 'bronze', traits: ['CUSTOM_MISSING'] })).uuid,
    );
    expect(noTraits.last_error).toBe(
      `Failed to process allocation ${noTraits.uuid}: no suitable nodes have the requested traits CUSTOM_MISSING.`,
    );
    const notCandidate = await settled(
      (await allocate({ resource_class: 'gold', candidate_nodes: ['alloc-no-traits'] })).uuid,
    );
    expect(notCandidate.last_error).toBe(
      `Failed to process allocation ${notCandidate.uuid}: none of the requested nodes are available and match the resource class gold.`,
    );
  });

  it('skips nodes in maintenance, of another owner, or already holding an instance', async () => {
    await availableNode('alloc-maint', { resource_class: 'iron' });
    await call('PATCH', '/v1/nodes/alloc-maint', {
      body: [{ op: 'replace', path: '/maintenance', value: true }],
    });
    await availableNode('alloc-owned', { resource_class: 'iron', owner: 'tenant-b' });
    await availableNode('alloc-taken', { resource_class: 'iron' });
    await call('PATCH', '/v1/nodes/alloc-taken', {
      body: [{ op: 'add', path: '/instance_uuid', value: randomUUID() }],
    });
    const refused = await settled(
      (await allocate({ resource_class: 'iron', owner: 'tenant-a' })).uuid,
    );
    expect(refused.state).toBe('error');
    const owned = await settled(
      (await allocate({ resource_class: 'iron', owner: 'tenant-b' })).uuid,
    );
    expect(owned).toMatchObject({ state: 'active', owner: 'tenant-b' });
    expect(owned.node_uuid).toBe((await node('alloc-owned')).uuid);
  });

  it('deleting the allocation frees the node; an active node keeps it', async () => {
    await availableNode('alloc-free', { resource_class: 'copper' });
    const done = await settled((await allocate({ resource_class: 'copper' })).uuid);
    expect(done.state).toBe('active');
    const deleted = await call('DELETE', `/v1/allocations/${done.uuid}`);
    expect(deleted.status).toBe(204);
    expect((await call('GET', `/v1/allocations/${done.uuid}`)).status).toBe(404);
    const freed = await node('alloc-free');
    expect(freed).toMatchObject({ instance_uuid: null, allocation_uuid: null });
    const none = await call('GET', '/v1/nodes/alloc-free/allocation');
    expect(none.status).toBe(404);
    expect(fault(none)).toBe('Allocation for node alloc-free was not found');

    // Through the node's sub-resource too, and an active node refuses.
    const again = await settled((await allocate({ resource_class: 'copper' })).uuid);
    await call('PATCH', '/v1/nodes/alloc-free', {
      body: [{ op: 'add', path: '/instance_info/image_source', value: 'http://x/img' }],
    });
    await call('PUT', '/v1/nodes/alloc-free/states/provision', { body: { target: 'active' } });
    await settles('alloc-free', 'active');
    const refused = await call('DELETE', '/v1/nodes/alloc-free/allocation');
    expect(refused.status).toBe(409);
    expect(fault(refused)).toBe(
      `Cannot remove allocation ${again.uuid} for node ${freed.uuid}, because the node is active (and maintenance mode is off)`,
    );
    // Undeploying deletes the allocation, as in Ironic.
    await call('PUT', '/v1/nodes/alloc-free/states/provision', { body: { target: 'deleted' } });
    await settles('alloc-free', 'available');
    expect((await call('GET', `/v1/allocations/${again.uuid}`)).status).toBe(404);
    expect(await node('alloc-free')).toMatchObject({ instance_uuid: null, allocation_uuid: null });
  });

  it('deleting a node in maintenance deletes its allocation; outside maintenance it is refused', async () => {
    await availableNode('alloc-gone', { resource_class: 'tin' });
    const done = await settled((await allocate({ resource_class: 'tin' })).uuid);
    const refused = await call('DELETE', '/v1/nodes/alloc-gone');
    expect(refused.status).toBe(409);
    expect(fault(refused)).toBe(
      `Node ${done.node_uuid as string} is associated with instance ${done.uuid}.`,
    );
    await call('PATCH', '/v1/nodes/alloc-gone', {
      body: [{ op: 'replace', path: '/maintenance', value: true }],
    });
    expect((await call('DELETE', '/v1/nodes/alloc-gone')).status).toBe(204);
    expect((await call('GET', `/v1/allocations/${done.uuid}`)).status).toBe(404);
  });

  it('removing the instance of a node with an allocation deletes the allocation where Ironic allows it', async () => {
    await availableNode('alloc-unset', { resource_class: 'zinc' });
    const done = await settled((await allocate({ resource_class: 'zinc' })).uuid);
    const removed = await call('PATCH', '/v1/nodes/alloc-unset', {
      body: [{ op: 'remove', path: '/instance_uuid' }],
    });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body).toMatchObject({ instance_uuid: null, allocation_uuid: null });
    expect((await call('GET', `/v1/allocations/${done.uuid}`)).status).toBe(404);

    // An active node keeps both.
    const again = await settled((await allocate({ resource_class: 'zinc' })).uuid);
    await call('PATCH', '/v1/nodes/alloc-unset', {
      body: [{ op: 'add', path: '/instance_info/image_source', value: 'http://x/img' }],
    });
    await call('PUT', '/v1/nodes/alloc-unset/states/provision', { body: { target: 'active' } });
    await settles('alloc-unset', 'active');
    const refused = await call('PATCH', '/v1/nodes/alloc-unset', {
      body: [{ op: 'remove', path: '/instance_uuid' }],
    });
    expect(refused.status).toBe(409);
    expect(fault(refused)).toBe(
      `Node ${again.node_uuid as string} with an allocation can not have instance_uuid removed unless it is in one of allowed (enroll, inspecting, inspect wait, manageable, available) states or in maintenance mode. Current state is 'active'.`,
    );
  });

  it('backfills an allocation onto an active node at 1.58, not before', async () => {
    await availableNode('alloc-active', { resource_class: 'steel' }, ['CUSTOM_X']);
    const instance = randomUUID();
    await call('PATCH', '/v1/nodes/alloc-active', {
      body: [
        { op: 'add', path: '/instance_info/image_source', value: 'http://x/img' },
        { op: 'add', path: '/instance_uuid', value: instance },
      ],
    });
    await call('PUT', '/v1/nodes/alloc-active/states/provision', { body: { target: 'active' } });
    await settles('alloc-active', 'active');
    const old = await call('POST', '/v1/allocations', {
      minor: 57,
      body: { node: 'alloc-active' },
    });
    expect(old.status).toBe(400);
    expect(fault(old)).toBe('Cannot set node when creating an allocation in this API version');
    const mismatch = await call('POST', '/v1/allocations', {
      minor: 58,
      body: { node: 'alloc-active', traits: ['CUSTOM_Y'], uuid: randomUUID() },
    });
    expect(mismatch.status).toBe(500);
    expect(fault(mismatch)).toMatch(
      /Cannot backfill an allocation for node [0-9a-f-]+: List of traits \['CUSTOM_X'\] does not match the requested traits \['CUSTOM_Y'\]\.$/,
    );
    const created = await allocate({ node: 'alloc-active', name: 'backfilled' }, 58);
    // Done at once, with the node's instance UUID and resource class.
    expect(created).toMatchObject({
      uuid: instance,
      state: 'active',
      resource_class: 'steel',
      node_uuid: (await node('alloc-active')).uuid,
    });
    expect((await node('alloc-active')).allocation_uuid).toBe(instance);
    const missing = await call('POST', '/v1/allocations', { minor: 58, body: { node: 'nope' } });
    expect(missing.status).toBe(400);
    expect(fault(missing)).toBe('Node nope could not be found.');
  });

  it('PATCH changes name and extra from 1.57 only; owner appears at 1.60', async () => {
    const created = await allocate({ resource_class: 'none-here', name: 'to-patch' });
    const early = await call('PATCH', `/v1/allocations/${created.uuid}`, {
      minor: 56,
      body: [{ op: 'replace', path: '/name', value: 'renamed' }],
    });
    expect(early.status).toBe(405);
    const patched = await call('PATCH', '/v1/allocations/to-patch', {
      minor: 57,
      body: [
        { op: 'replace', path: '/name', value: 'renamed' },
        { op: 'add', path: '/extra/k', value: 'v' },
      ],
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ name: 'renamed', extra: { k: 'v' } });
    expect(patched.body).not.toHaveProperty('owner');
    const notAllowed = await call('PATCH', '/v1/allocations/renamed', {
      body: [{ op: 'replace', path: '/resource_class', value: 'x' }],
    });
    expect(notAllowed.status).toBe(400);
    expect(fault(notAllowed)).toBe(
      'Cannot patch /resource_class. Only the following can be updated: extra, name',
    );
    const ownerEarly = await call('POST', '/v1/allocations', {
      minor: 59,
      body: { resource_class: 'x', owner: 'me' },
    });
    expect(ownerEarly.status).toBe(406);
    expect((await call('GET', '/v1/allocations?owner=me', { minor: 59 })).status).toBe(406);
  });

  it('pages through allocations with limit, marker and sort keys, nullable ones too', async () => {
    const all = (await call('GET', '/v1/allocations')).body as { allocations: Allocation[] };
    expect(all.allocations.length).toBeGreaterThan(4);
    for (const sort of ['id', 'name', 'node_id', 'created_at']) {
      for (const dir of ['asc', 'desc']) {
        const seen: string[] = [];
        let path = `/v1/allocations?limit=2&sort_key=${sort}&sort_dir=${dir}`;
        for (;;) {
          const page = (await call('GET', path)).body as {
            allocations: Allocation[];
            next?: string;
          };
          seen.push(...page.allocations.map((a) => a.uuid));
          if (!page.next) break;
          path = page.next.slice(base.length);
        }
        expect(new Set(seen).size, `${sort} ${dir}`).toBe(all.allocations.length);
        expect(seen).toHaveLength(all.allocations.length);
      }
    }
    const bad = await call('GET', '/v1/allocations?sort_key=traits');
    expect(bad.status).toBe(400);
  });

  it("refuses bad bodies and versions in Ironic's words", async () => {
    const cases: [unknown, number, string][] = [
      [{}, 400, 'The resource_class field is mandatory when not backfilling'],
      [
        { resource_class: 'x', traits: ['lowercase'] },
        400,
        "Schema error for allocation: 'lowercase' is not valid under any of the given schemas",
      ],
      [
        { resource_class: 'x', flavor: 1 },
        400,
        "Schema error for allocation: Additional properties are not allowed ('flavor' was unexpected)",
      ],
      [
        { resource_class: 'x', name: 'bad name' },
        400,
        "Cannot create allocation with invalid name 'bad name'",
      ],
      [
        { resource_class: 'x', candidate_nodes: ['no-such-node'] },
        400,
        'Nodes cannot be found: no-such-node',
      ],
      [{ resource_class: 'x', uuid: 'nope' }, 400, 'Expected UUID for uuid: nope'],
    ];
    for (const [body, status, message] of cases) {
      const result = await call('POST', '/v1/allocations', { body });
      expect(result.status, JSON.stringify(body)).toBe(status);
      expect(fault(result)).toBe(message);
    }
    const taken = await allocate({ resource_class: 'x', name: 'unique-name' });
    const dup = await call('POST', '/v1/allocations', {
      body: { resource_class: 'x', name: 'unique-name' },
    });
    expect(dup.status).toBe(409);
    expect(fault(dup)).toBe('An allocation with name unique-name already exists.');
    const dupUuid = await call('POST', '/v1/allocations', {
      body: { resource_class: 'x', uuid: taken.uuid },
    });
    expect(dupUuid.status).toBe(409);
    expect(fault(dupUuid)).toBe(`An allocation with UUID ${taken.uuid} already exists.`);
    const before = await call('GET', '/v1/allocations', { minor: 51 });
    expect(before.status).toBe(404);
    const postBefore = await call('POST', '/v1/allocations', { minor: 51, body: {} });
    expect(postBefore.status).toBe(405);
    const missing = await call('GET', `/v1/allocations/${randomUUID()}`);
    expect(missing.status).toBe(404);
    // A node shows allocation_uuid from 1.52 on.
    const shown = await call('GET', '/v1/nodes/alloc-match', { minor: 51 });
    expect(shown.body).not.toHaveProperty('allocation_uuid');
  });
});
