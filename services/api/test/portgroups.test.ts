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

const HOST = '127.0.0.1:6385';
const BASE = `http://${HOST}`;

type Item = Record<string, unknown> & { uuid: string };

describe("Ironic's port group API (in-process environment)", () => {
  let env: InProcessEnvironment;

  /** A request at microversion 1.`minor` (1.111 unless given). */
  const call = (method: string, path: string, options: ApiRequestOptions = {}) =>
    apiRequest(env.apiUrl, method, path, { minor: 111, ...options, headers: { Host: HOST } });
  const fault = (result: HttpResult) => innerError(result.body).faultstring;
  const listOf = (result: HttpResult, key = 'portgroups') =>
    (result.body as Record<string, Item[]>)[key]!;

  let macCounter = 0;
  const nextMac = () => {
    macCounter += 1;
    const hex = macCounter.toString(16).padStart(4, '0');
    return `52:54:00:10:${hex.slice(0, 2)}:${hex.slice(2)}`;
  };

  const createNode = async (body: Record<string, unknown> = {}): Promise<Item> => {
    const result = await call('POST', '/v1/nodes', { body: { driver: 'fake-hardware', ...body } });
    expect(result.status, result.text).toBe(201);
    return result.body as Item;
  };
  const createGroup = async (node: Item, body: Record<string, unknown> = {}): Promise<Item> => {
    const result = await call('POST', '/v1/portgroups', {
      body: { node_uuid: node.uuid, address: nextMac(), ...body },
    });
    expect(result.status, result.text).toBe(201);
    return result.body as Item;
  };
  const createPort = async (node: Item, body: Record<string, unknown> = {}): Promise<Item> => {
    const result = await call('POST', '/v1/ports', {
      body: { node_uuid: node.uuid, address: nextMac(), ...body },
    });
    expect(result.status, result.text).toBe(201);
    return result.body as Item;
  };

  beforeAll(async () => {
    env = await createInProcess();
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  describe('create and show', () => {
    it('creates a port group: 201, Location, every field of 1.111 and its links', async () => {
      const node = await createNode();
      const result = await call('POST', '/v1/portgroups', {
        body: {
          node_uuid: node.uuid,
          address: '52:54:00:AA:BB:01',
          name: 'bond0',
          mode: '802.3ad',
          properties: { miimon: '100' },
          standalone_ports_supported: 'false',
          extra: { rack: 1 },
          physical_network: 'physnet1',
          category: 'storage',
        },
      });
      expect(result.status, result.text).toBe(201);
      const group = result.body as Item;
      expect(result.headers.location).toBe(`${BASE}/v1/portgroups/${group.uuid}`);
      expect(group).toEqual({
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        address: '52:54:00:aa:bb:01',
        name: 'bond0',
        node_uuid: node.uuid,
        standalone_ports_supported: false,
        internal_info: {},
        extra: { rack: 1 },
        mode: '802.3ad',
        properties: { miimon: '100' },
        physical_network: 'physnet1',
        category: 'storage',
        dynamic_portgroup: false,
        created_at: expect.stringMatching(IRONIC_TIMESTAMP),
        updated_at: null,
        links: ironicLinks(BASE, `portgroups/${group.uuid}`),
        ports: ironicLinks(BASE, `portgroups/${group.uuid}/ports`),
      });
      const byName = await call('GET', '/v1/portgroups/bond0');
      expect(byName.status).toBe(200);
      expect(byName.body).toEqual(group);
    });

    it("defaults mode to Ironic's active-backup, address and name to null", async () => {
      const node = await createNode();
      const result = await call('POST', '/v1/portgroups', { body: { node_uuid: node.uuid } });
      expect(result.status).toBe(201);
      expect(result.body).toMatchObject({
        address: null,
        name: null,
        mode: 'active-backup',
        properties: {},
        standalone_ports_supported: true,
      });
    });

    it('hides each field below its microversion and answers 404 below 1.23', async () => {
      const node = await createNode();
      const group = await createGroup(node, { category: 'c1', physical_network: 'p1' });
      const keys = async (minor: number) =>
        Object.keys((await call('GET', `/v1/portgroups/${group.uuid}`, { minor })).body as Item);
      expect(await keys(23)).not.toContain('mode');
      expect(await keys(26)).toEqual(expect.arrayContaining(['mode', 'properties']));
      expect(await keys(101)).not.toContain('physical_network');
      expect(await keys(102)).toContain('physical_network');
      expect(await keys(102)).not.toContain('category');
      expect(await keys(103)).toContain('category');
      expect(await keys(110)).not.toContain('dynamic_portgroup');
      expect(await keys(111)).toContain('dynamic_portgroup');
      expect((await call('GET', '/v1/portgroups', { minor: 22 })).status).toBe(404);
      expect((await call('GET', `/v1/portgroups/${group.uuid}`, { minor: 22 })).status).toBe(404);
    });

    it('refuses fields newer than the microversion with a bare 406', async () => {
      const node = await createNode();
      for (const [minor, body] of [
        [25, { mode: '802.3ad' }],
        [25, { properties: { a: 1 } }],
        [101, { physical_network: 'p' }],
        [102, { category: 'c' }],
      ] as const) {
        const result = await call('POST', '/v1/portgroups', {
          minor,
          body: { node_uuid: node.uuid, ...body },
        });
        expect(result.status, `${minor} ${JSON.stringify(body)}`).toBe(406);
      }
      const ok = await call('POST', '/v1/portgroups', {
        minor: 23,
        body: { node_uuid: node.uuid },
      });
      expect(ok.status).toBe(201);
      expect(Object.keys(ok.body as Item)).not.toContain('mode');
    });

    it("refuses bad bodies in Ironic's words", async () => {
      const node = await createNode();
      const cases: [unknown, number, string][] = [
        [{}, 400, "Schema error for portgroup: 'node_uuid' is a required property"],
        [
          { node_uuid: node.uuid, address: 'nope' },
          400,
          'Expected valid MAC address for address: nope',
        ],
        [
          { node_uuid: node.uuid, name: 'bad name' },
          400,
          "Cannot create portgroup with invalid name 'bad name'",
        ],
        [{ node_uuid: 'abc' }, 400, 'Expected UUID for node_uuid: abc'],
        [
          { node_uuid: node.uuid, dynamic_portgroup: true },
          400,
          "Schema error for portgroup: Additional properties are not allowed ('dynamic_portgroup' was unexpected)",
        ],
        [
          { node_uuid: node.uuid, category: 'x'.repeat(81) },
          400,
          `Schema error for portgroup: '${'x'.repeat(81)}' is too long`,
        ],
      ];
      for (const [body, status, message] of cases) {
        const result = await call('POST', '/v1/portgroups', { body });
        expect(result.status, JSON.stringify(body)).toBe(status);
        expect(fault(result)).toBe(message);
      }
      const ghost = randomUUID();
      const unknownNode = await call('POST', '/v1/portgroups', { body: { node_uuid: ghost } });
      expect(unknownNode.status).toBe(400);
      expect(fault(unknownNode)).toBe(`Node ${ghost} could not be found.`);
    });

    it('keeps addresses and names unique (409)', async () => {
      const node = await createNode();
      const group = await createGroup(node, { name: 'dup-name' });
      const sameMac = await call('POST', '/v1/portgroups', {
        body: { node_uuid: node.uuid, address: group.address },
      });
      expect(sameMac.status).toBe(409);
      expect(fault(sameMac)).toBe(`A portgroup with MAC address ${group.address} already exists.`);
      const sameName = await call('POST', '/v1/portgroups', {
        body: { node_uuid: node.uuid, name: 'dup-name' },
      });
      expect(sameName.status).toBe(409);
      expect(fault(sameName)).toBe('A portgroup with name dup-name already exists.');
    });

    it('answers an unknown port group with 404 and a bad identifier with 400', async () => {
      const ghost = randomUUID();
      const missing = await call('GET', `/v1/portgroups/${ghost}`);
      expect(missing.status).toBe(404);
      expect(fault(missing)).toBe(`Portgroup ${ghost} could not be found.`);
      const bad = await call('GET', '/v1/portgroups/bad%20name');
      expect(bad.status).toBe(400);
      expect(fault(bad)).toBe('Expected a logical name or UUID but received bad name.');
    });
  });

  describe('lists', () => {
    it('lists uuid, address, name and links; detail and fields; pages with next', async () => {
      const node = await createNode();
      const groups = [await createGroup(node), await createGroup(node), await createGroup(node)];
      const plain = listOf(await call('GET', `/v1/portgroups?node=${node.uuid}`));
      expect(plain).toEqual(
        groups.map((g) => ({
          uuid: g.uuid,
          address: g.address,
          name: null,
          links: ironicLinks(BASE, `portgroups/${g.uuid}`),
        })),
      );
      const detail = listOf(await call('GET', `/v1/portgroups/detail?node=${node.uuid}`));
      expect(detail[0]).toEqual(groups[0]);
      const fields = listOf(await call('GET', `/v1/portgroups?node=${node.uuid}&fields=mode`));
      expect(fields[0]).toEqual({ mode: 'active-backup', links: expect.any(Array) });
      expect(
        (await call('GET', `/v1/portgroups?fields=mode`, { minor: 25 })).status,
        'mode before 1.26',
      ).toBe(406);
      const page = await call('GET', `/v1/portgroups?node=${node.uuid}&limit=2`);
      expect(listOf(page).map((g) => g.uuid)).toEqual(groups.slice(0, 2).map((g) => g.uuid));
      const next = (page.body as { next: string }).next;
      expect(next).toBe(
        `${BASE}/v1/portgroups?node=${node.uuid}&limit=2&marker=${groups[1]!.uuid}`,
      );
      const rest = await call('GET', new URL(next).pathname + new URL(next).search);
      expect(listOf(rest).map((g) => g.uuid)).toEqual([groups[2]!.uuid]);
      const sorted = listOf(
        await call('GET', `/v1/portgroups?node=${node.uuid}&sort_key=address&sort_dir=desc`),
      );
      expect(sorted.map((g) => g.address)).toEqual(groups.map((g) => g.address).reverse());
      const badSort = await call('GET', '/v1/portgroups?sort_key=properties');
      expect(badSort.status).toBe(400);
    });

    it("lists a node's port groups under the node (1.24) and filters by address", async () => {
      const node = await createNode({ name: `pg-node-${randomUUID().slice(0, 8)}` });
      const other = await createNode();
      const mine = await createGroup(node);
      await createGroup(other);
      const under = await call('GET', `/v1/nodes/${node.name as string}/portgroups`);
      expect(under.status).toBe(200);
      expect(listOf(under).map((g) => g.uuid)).toEqual([mine.uuid]);
      const detail = await call('GET', `/v1/nodes/${node.uuid}/portgroups/detail`);
      expect(listOf(detail)[0]).toEqual(mine);
      expect((await call('GET', `/v1/nodes/${node.uuid}/portgroups`, { minor: 23 })).status).toBe(
        404,
      );
      const byAddress = await call('GET', `/v1/portgroups?address=${mine.address as string}`);
      expect(listOf(byAddress).map((g) => g.uuid)).toEqual([mine.uuid]);
      const both = await call(
        'GET',
        `/v1/portgroups?node=${node.uuid}&address=${mine.address as string}`,
      );
      expect(both.status).toBe(400);
      expect(fault(both)).toBe(
        'Filtering by node, address, or shard simultaneously is not supported.',
      );
    });

    it('filters by shard from 1.106 and by conductor group from 1.99', async () => {
      const shard = `shard-${randomUUID().slice(0, 8)}`;
      const group = `cg-${randomUUID().slice(0, 8)}`;
      const sharded = await createNode({ shard });
      // No conductor of that group runs here: the node is put in it behind the API's back.
      const grouped = await createNode();
      await queryDatabase(
        env.databaseUrl!,
        'UPDATE nodes SET conductor_group = $1 WHERE uuid = $2',
        [group, grouped.uuid],
      );
      const inShard = await createGroup(sharded);
      const inGroup = await createGroup(grouped);
      const byShard = await call('GET', `/v1/portgroups?shard=${shard},other`, { minor: 106 });
      expect(listOf(byShard).map((g) => g.uuid)).toEqual([inShard.uuid]);
      const oldShard = await call('GET', `/v1/portgroups?shard=${shard}`, { minor: 105 });
      expect(oldShard.status).toBe(406);
      expect(fault(oldShard)).toBe(
        'Request not acceptable. The minimal required API version should be 1.106',
      );
      const byGroup = await call('GET', `/v1/portgroups?conductor_groups=${group.toUpperCase()}`, {
        minor: 99,
      });
      expect(listOf(byGroup).map((g) => g.uuid)).toEqual([inGroup.uuid]);
      const oldGroup = await call('GET', `/v1/portgroups?conductor_groups=${group}`, {
        minor: 98,
      });
      expect(oldGroup.status).toBe(406);
    });
  });

  describe('patch', () => {
    it('replaces, adds and removes fields, by UUID or name', async () => {
      const node = await createNode();
      const group = await createGroup(node, { name: `pg-${randomUUID().slice(0, 8)}` });
      const result = await call('PATCH', `/v1/portgroups/${group.name as string}`, {
        body: [
          { op: 'replace', path: '/mode', value: 'balance-rr' },
          { op: 'add', path: '/properties/xmit_hash_policy', value: 'layer3+4' },
          { op: 'add', path: '/extra/a', value: 1 },
          { op: 'replace', path: '/standalone_ports_supported', value: 'no' },
          { op: 'replace', path: '/category', value: 'data' },
          { op: 'remove', path: '/address' },
        ],
      });
      expect(result.status, result.text).toBe(200);
      expect(result.body).toMatchObject({
        uuid: group.uuid,
        mode: 'balance-rr',
        properties: { xmit_hash_policy: 'layer3+4' },
        extra: { a: 1 },
        standalone_ports_supported: false,
        category: 'data',
        address: null,
        updated_at: expect.stringMatching(IRONIC_TIMESTAMP),
      });
    });

    it('refuses what Ironic refuses, in its words', async () => {
      const node = await createNode();
      const group = await createGroup(node);
      const patch = (body: unknown, minor = 111) =>
        call('PATCH', `/v1/portgroups/${group.uuid}`, { body, minor });
      const removeMode = await patch([{ op: 'remove', path: '/mode' }]);
      expect(removeMode.status).toBe(400);
      expect(fault(removeMode)).toBe("'mode' is a mandatory attribute and can not be removed");
      const badName = await patch([{ op: 'replace', path: '/name', value: 'a b' }]);
      expect(badName.status).toBe(400);
      expect(fault(badName)).toBe(
        `Portgroup ${group.uuid}: Cannot change name to invalid name 'a b'`,
      );
      const readOnly = await patch([{ op: 'replace', path: '/dynamic_portgroup', value: true }]);
      expect(readOnly.status).toBe(400);
      expect(fault(readOnly)).toBe(
        'Cannot patch /dynamic_portgroup. Only the following can be updated: address, ' +
          'category, extra, mode, name, node_uuid, physical_network, properties, ' +
          'standalone_ports_supported',
      );
      expect((await patch([{ op: 'replace', path: '/mode', value: 'x' }], 25)).status).toBe(406);
      expect((await patch([{ op: 'replace', path: '/category', value: 'x' }], 102)).status).toBe(
        406,
      );
      const badMac = await patch([{ op: 'replace', path: '/address', value: 'zz' }]);
      expect(badMac.status).toBe(400);
      expect(fault(badMac)).toBe('Expected valid MAC address for address: zz');
    });

    it('moves to another node only while it has no ports, and sets its ports physical network', async () => {
      const node = await createNode();
      const other = await createNode();
      const group = await createGroup(node);
      const moved = await call('PATCH', `/v1/portgroups/${group.uuid}`, {
        body: [{ op: 'replace', path: '/node_uuid', value: other.uuid }],
      });
      expect(moved.status, moved.text).toBe(200);
      expect(moved.body).toMatchObject({ node_uuid: other.uuid });
      const port = await createPort(other, { portgroup_uuid: group.uuid });
      const back = await call('PATCH', `/v1/portgroups/${group.uuid}`, {
        body: [{ op: 'replace', path: '/node_uuid', value: node.uuid }],
      });
      expect(back.status).toBe(400);
      expect(fault(back)).toBe(
        `Portgroup ${group.uuid} can not be associated with node ${node.uuid} because there ` +
          'are ports associated with this portgroup.',
      );
      const physnet = await call('PATCH', `/v1/portgroups/${group.uuid}`, {
        body: [{ op: 'replace', path: '/physical_network', value: 'physnet9' }],
      });
      expect(physnet.status).toBe(200);
      const member = await call('GET', `/v1/ports/${port.uuid}`);
      expect(member.body).toMatchObject({ physical_network: 'physnet9' });
    });
  });

  describe('ports of a port group', () => {
    it('puts ports in a group, lists them under it, and refuses deleting a group with ports', async () => {
      const node = await createNode();
      const group = await createGroup(node, { name: `grp-${randomUUID().slice(0, 8)}` });
      const port = await createPort(node, { portgroup_uuid: group.uuid, pxe_enabled: false });
      expect(port.portgroup_uuid).toBe(group.uuid);
      const loose = await createPort(node);
      expect(loose.portgroup_uuid).toBeNull();
      const under = await call('GET', `/v1/portgroups/${group.name as string}/ports`);
      expect(under.status).toBe(200);
      expect(listOf(under, 'ports').map((p) => p.uuid)).toEqual([port.uuid]);
      const detail = await call('GET', `/v1/portgroups/${group.uuid}/ports/detail`);
      expect(listOf(detail, 'ports')[0]).toMatchObject({
        uuid: port.uuid,
        portgroup_uuid: group.uuid,
      });
      const filtered = await call('GET', `/v1/ports?portgroup=${group.uuid}`);
      expect(listOf(filtered, 'ports').map((p) => p.uuid)).toEqual([port.uuid]);
      expect((await call('GET', `/v1/ports?portgroup=${group.uuid}`, { minor: 23 })).status).toBe(
        406,
      );
      expect((await call('GET', `/v1/portgroups/${group.uuid}/ports`, { minor: 23 })).status).toBe(
        404,
      );
      expect(
        (await call('GET', `/v1/ports/${port.uuid}`, { minor: 23 })).body as Item,
      ).not.toHaveProperty('portgroup_uuid');

      const refused = await call('DELETE', `/v1/portgroups/${group.uuid}`);
      expect(refused.status).toBe(400);
      expect(fault(refused)).toBe(
        `Cannot complete the requested action because portgroup ${group.uuid} contains ports.`,
      );
      const out = await call('PATCH', `/v1/ports/${port.uuid}`, {
        body: [{ op: 'remove', path: '/portgroup_uuid' }],
      });
      expect(out.status, out.text).toBe(200);
      expect(out.body).toMatchObject({ portgroup_uuid: null });
      const deleted = await call('DELETE', `/v1/portgroups/${group.name as string}`);
      expect(deleted.status).toBe(204);
      expect((await call('GET', `/v1/portgroups/${group.uuid}`)).status).toBe(404);
    });

    it("applies Ironic's membership rules", async () => {
      const node = await createNode();
      const other = await createNode();
      const group = await createGroup(node, { standalone_ports_supported: false });
      const elsewhere = await call('POST', '/v1/ports', {
        body: { node_uuid: other.uuid, address: nextMac(), portgroup_uuid: group.uuid },
      });
      expect(elsewhere.status).toBe(400);
      expect(fault(elsewhere)).toBe(
        'Port can not be added to a portgroup belonging to a different node.',
      );
      const pxe = await call('POST', '/v1/ports', {
        body: { node_uuid: node.uuid, address: nextMac(), portgroup_uuid: group.uuid },
      });
      expect(pxe.status).toBe(409);
      expect(fault(pxe)).toBe(
        `Port group ${group.uuid} doesn't support standalone ports. This port cannot be ` +
          "created as a member of that portgroup as the port's 'pxe_enabled' field was set to True.",
      );
      const ghost = randomUUID();
      const unknown = await call('POST', '/v1/ports', {
        body: { node_uuid: node.uuid, address: nextMac(), portgroup_uuid: ghost },
      });
      expect(unknown.status).toBe(400);
      expect(fault(unknown)).toBe(`Portgroup ${ghost} could not be found.`);
      const member = await createPort(node, {
        portgroup_uuid: group.uuid,
        pxe_enabled: false,
        physical_network: 'p1',
      });
      const physnet = await call('PATCH', `/v1/ports/${member.uuid}`, {
        body: [{ op: 'replace', path: '/physical_network', value: 'p2' }],
      });
      expect(physnet.status).toBe(400);
      expect(fault(physnet)).toBe(
        'physical_network cannot be changed while the port belongs to a portgroup.',
      );
    });

    it('changes membership and wiring only on an idle node or in maintenance, as Ironic', async () => {
      const node = await createNode();
      const group = await createGroup(node);
      const port = await createPort(node);
      // A deployed node: put there behind the API's back, as no deploy runs here.
      await queryDatabase(
        env.databaseUrl!,
        "UPDATE nodes SET provision_state = 'active' WHERE uuid = $1",
        [node.uuid],
      );
      const join = [{ op: 'replace', path: '/portgroup_uuid', value: group.uuid }];
      const refused = await call('PATCH', `/v1/ports/${port.uuid}`, { body: join });
      expect(refused.status).toBe(409);
      expect(fault(refused)).toBe(
        `Port ${port.uuid} can not have any connectivity attributes (portgroup_id, pxe_enabled, ` +
          `local_link_connection, physical_network) updated unless node ${node.uuid} is in a ` +
          'enroll, inspecting, inspect wait, manageable state or in maintenance mode. ' +
          'The current state is active.',
      );
      const mac = await call('PATCH', `/v1/ports/${port.uuid}`, {
        body: [{ op: 'replace', path: '/address', value: nextMac() }],
      });
      expect(mac.status).toBe(409);
      const extra = await call('PATCH', `/v1/ports/${port.uuid}`, {
        body: [{ op: 'add', path: '/extra/x', value: 1 }],
      });
      expect(extra.status).toBe(200);
      const maintenance = await call('PATCH', `/v1/nodes/${node.uuid}`, {
        body: [{ op: 'replace', path: '/maintenance', value: true }],
      });
      expect(maintenance.status, maintenance.text).toBe(200);
      const joined = await call('PATCH', `/v1/ports/${port.uuid}`, { body: join });
      expect(joined.status, joined.text).toBe(200);
      expect(joined.body).toMatchObject({ portgroup_uuid: group.uuid });
    });

    it('deleting the node deletes its port groups and their ports', async () => {
      const node = await createNode();
      const group = await createGroup(node);
      const port = await createPort(node, { portgroup_uuid: group.uuid });
      expect((await call('DELETE', `/v1/nodes/${node.uuid}`)).status).toBe(204);
      expect((await call('GET', `/v1/portgroups/${group.uuid}`)).status).toBe(404);
      expect((await call('GET', `/v1/ports/${port.uuid}`)).status).toBe(404);
    });
  });
});
