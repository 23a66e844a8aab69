import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  createInProcess,
  innerError,
  IRONIC_TIMESTAMP,
  type ApiRequestOptions,
  type HttpResult,
  type InProcessEnvironment,
} from '@galvanic/testing';

const HOST = '127.0.0.1:6385';

type Port = Record<string, unknown> & { uuid: string };
/** A node as the API shows it, as far as these tests read it. */
type NodeRow = Record<string, unknown> & { uuid: string; name: string | null };

describe("Ironic's port API (in-process environment)", () => {
  let env: InProcessEnvironment;
  let base: string;

  /** Sends a request at microversion 1.`minor` (82 unless given), with a JSON body if any. */
  const call = (method: string, path: string, options: ApiRequestOptions = {}) =>
    apiRequest(base, method, path, { ...options, headers: { Host: HOST } });
  const fault = (result: HttpResult) => innerError(result.body).faultstring;
  const portsOf = (result: HttpResult) => (result.body as { ports: Port[] }).ports;

  let macCounter = 0;
  const nextMac = () => {
    macCounter += 1;
    const hex = macCounter.toString(16).padStart(4, '0');
    return `52:54:00:00:${hex.slice(0, 2)}:${hex.slice(2)}`;
  };

  const createNode = async (name?: string): Promise<NodeRow> => {
    const result = await call('POST', '/v1/nodes', {
      body: { driver: 'fake-hardware', ...(name ? { name } : {}) },
    });
    expect(result.status, result.text).toBe(201);
    return result.body as NodeRow;
  };

  const createPort = async (node: NodeRow, body: Record<string, unknown> = {}): Promise<Port> => {
    const result = await call('POST', '/v1/ports', {
      body: { address: nextMac(), node_uuid: node.uuid, ...body },
    });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    return result.body as Port;
  };

  beforeAll(async () => {
    env = await createInProcess();
    base = env.apiUrl;
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  describe('POST /v1/ports', () => {
    it('creates a port, answers 201 with Location and every field of the version', async () => {
      const node = await createNode();
      const result = await call('POST', '/v1/ports', {
        body: {
          address: '52:54:00:AB:CD:EF',
          node_uuid: node.uuid.toUpperCase(),
          extra: { rack: 4 },
          local_link_connection: { switch_id: 'AA:BB:CC:DD:EE:FF', port_id: 'Gig0/1' },
          pxe_enabled: 'false',
          physical_network: 'physnet1',
          is_smartnic: false,
        },
      });
      expect(result.status).toBe(201);
      const port = result.body as Port;
      expect(result.headers.location).toBe(`http://${HOST}/v1/ports/${port.uuid}`);
      expect(port).toEqual({
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        address: '52:54:00:ab:cd:ef',
        node_uuid: node.uuid,
        extra: { rack: 4 },
        created_at: expect.stringMatching(IRONIC_TIMESTAMP),
        updated_at: null,
        links: [
          { href: `http://${HOST}/v1/ports/${port.uuid}`, rel: 'self' },
          { href: `http://${HOST}/ports/${port.uuid}`, rel: 'bookmark' },
        ],
        internal_info: {},
        local_link_connection: { switch_id: 'aa:bb:cc:dd:ee:ff', port_id: 'Gig0/1' },
        pxe_enabled: false,
        portgroup_uuid: null,
        physical_network: 'physnet1',
        is_smartnic: false,
      });
    });

    it('keeps a given uuid, and shows only the fields of an old microversion', async () => {
      const node = await createNode();
      const uuid = randomUUID();
      const result = await call('POST', '/v1/ports', {
        minor: null,
        body: { address: nextMac(), node_uuid: node.uuid, uuid },
      });
      expect(result.status).toBe(201);
      expect(Object.keys(result.body as Port).sort()).toEqual(
        ['address', 'created_at', 'extra', 'links', 'node_uuid', 'updated_at', 'uuid'].sort(),
      );
      expect((result.body as Port).uuid).toBe(uuid);
      const again = await call('POST', '/v1/ports', {
        body: { address: nextMac(), node_uuid: node.uuid, uuid },
      });
      expect(again.status).toBe(409);
      expect(fault(again)).toBe(`A port with UUID ${uuid} already exists.`);
    });

    it('refuses an invalid MAC, a taken MAC and a missing node', async () => {
      const node = await createNode();
      const invalid = await call('POST', '/v1/ports', {
        body: { address: 'not-a-mac', node_uuid: node.uuid },
      });
      expect(invalid.status).toBe(400);
      expect(fault(invalid)).toBe('Expected valid MAC address for address: not-a-mac');
      const dashes = await call('POST', '/v1/ports', {
        body: { address: '52-54-00-00-00-01', node_uuid: node.uuid },
      });
      expect(dashes.status).toBe(400);

      const port = await createPort(node);
      const taken = await call('POST', '/v1/ports', {
        body: { address: String(port.address).toUpperCase(), node_uuid: node.uuid },
      });
      expect(taken.status).toBe(409);
      expect(fault(taken)).toBe(`A port with MAC address ${String(port.address)} already exists.`);

      const ghost = randomUUID();
      const missing = await call('POST', '/v1/ports', {
        body: { address: nextMac(), node_uuid: ghost },
      });
      expect(missing.status).toBe(400);
      expect(fault(missing)).toBe(`Node ${ghost} could not be found.`);
    });

    it("checks the body as Ironic's schema does", async () => {
      const node = await createNode();
      const cases: [unknown, string][] = [
        [{ node_uuid: node.uuid }, "Schema error for port: 'address' is a required property"],
        [{ address: nextMac() }, "Schema error for port: 'node_uuid' is a required property"],
        [
          { address: nextMac(), node_uuid: node.uuid, bogus: 'eth0' },
          "Schema error for port: Additional properties are not allowed ('bogus' was unexpected)",
        ],
        [
          { address: nextMac(), node_uuid: node.uuid, extra: 'x' },
          "Schema error for port: 'x' is not of type 'object', 'null'",
        ],
        [{ address: nextMac(), node_uuid: 'nope' }, 'Expected UUID for node_uuid: nope'],
        [
          { address: nextMac(), node_uuid: node.uuid, pxe_enabled: 'maybe' },
          "Invalid pxe_enabled: Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'",
        ],
        [
          { address: nextMac(), node_uuid: node.uuid, physical_network: '' },
          'A non-empty value is required when setting physical_network',
        ],
        [
          { address: nextMac(), node_uuid: node.uuid, is_smartnic: true },
          'Smart NIC port must have port_id and hostname in local_link_connection',
        ],
        [
          { address: nextMac(), node_uuid: node.uuid, local_link_connection: { port_id: 'x' } },
          "Schema error for local_link_connection: {'port_id': 'x'} is not valid under any of the given schemas",
        ],
        [
          {
            address: nextMac(),
            node_uuid: node.uuid,
            local_link_connection: { port_id: 'x', switch_id: 'zz' },
          },
          'Expected a MAC address or OpenFlow datapath ID but received zz.',
        ],
        [[], "Schema error for port: [] is not of type 'object'"],
      ];
      for (const [body, message] of cases) {
        const result = await call('POST', '/v1/ports', { body });
        expect(result.status, JSON.stringify(body)).toBe(400);
        expect(fault(result)).toBe(message);
      }
    });

    it('accepts a Smart NIC port with its link, and refuses fields newer than the version', async () => {
      const node = await createNode();
      const smart = await createPort(node, {
        is_smartnic: true,
        local_link_connection: { port_id: 'rep0-0', hostname: 'dpu-1' },
      });
      expect(smart.is_smartnic).toBe(true);
      const gated: [number, Record<string, unknown>][] = [
        [18, { pxe_enabled: true }],
        [18, { local_link_connection: {} }],
        [23, { portgroup_uuid: null }],
        [33, { physical_network: 'physnet1' }],
        [52, { is_smartnic: false }],
        [63, { local_link_connection: { network_type: 'unmanaged' } }],
      ];
      for (const [minor, fields] of gated) {
        const result = await call('POST', '/v1/ports', {
          minor,
          body: { address: nextMac(), node_uuid: node.uuid, ...fields },
        });
        expect(result.status, JSON.stringify(fields)).toBe(406);
        expect(fault(result)).toBe('Request not acceptable.');
      }
      const unmanaged = await createPort(node, {
        local_link_connection: { network_type: 'unmanaged' },
      });
      expect(unmanaged.local_link_connection).toEqual({ network_type: 'unmanaged' });
      const group = await call('POST', '/v1/ports', {
        body: { address: nextMac(), node_uuid: node.uuid, portgroup_uuid: node.uuid },
      });
      expect(group.status).toBe(400);
      expect(fault(group)).toBe(`Portgroup ${node.uuid} could not be found.`);
    });
  });

  describe('GET /v1/ports/{port}', () => {
    it('shows a port with the fields of each microversion', async () => {
      const node = await createNode();
      const port = await createPort(node);
      const at = async (minor: number) =>
        Object.keys((await call('GET', `/v1/ports/${port.uuid}`, { minor })).body as Port).sort();
      const base = ['address', 'created_at', 'extra', 'links', 'node_uuid', 'updated_at', 'uuid'];
      expect(await at(17)).toEqual([...base].sort());
      expect(await at(18)).toEqual([...base, 'internal_info'].sort());
      expect(await at(19)).toEqual(
        [...base, 'internal_info', 'local_link_connection', 'pxe_enabled'].sort(),
      );
      expect(await at(24)).toContain('portgroup_uuid');
      expect(await at(33)).not.toContain('physical_network');
      expect(await at(34)).toContain('physical_network');
      expect(await at(52)).not.toContain('is_smartnic');
      expect(await at(53)).toContain('is_smartnic');
    });

    it('selects fields, gated by version', async () => {
      const node = await createNode();
      const port = await createPort(node);
      const some = await call('GET', `/v1/ports/${port.uuid}?fields=address,pxe_enabled`);
      expect(some.body).toEqual({
        address: port.address,
        pxe_enabled: true,
        links: port.links,
      });
      expect(
        (await call('GET', `/v1/ports/${port.uuid}?fields=address`, { minor: 7 })).status,
      ).toBe(406);
      expect(
        (await call('GET', `/v1/ports/${port.uuid}?fields=is_smartnic`, { minor: 52 })).status,
      ).toBe(406);
      const bad = await call('GET', `/v1/ports/${port.uuid}?fields=address,bogus`);
      expect(bad.status).toBe(400);
      expect(fault(bad)).toBe('Field(s) "bogus" are not valid');
    });

    it('answers 404 for an unknown port and 400 for a non-UUID', async () => {
      const ghost = randomUUID();
      const missing = await call('GET', `/v1/ports/${ghost}`);
      expect(missing.status).toBe(404);
      expect(fault(missing)).toBe(`Port ${ghost} could not be found.`);
      const bad = await call('GET', '/v1/ports/eth0');
      expect(bad.status).toBe(400);
      expect(fault(bad)).toBe('Expected UUID for port_uuid: eth0');
    });
  });

  describe('GET /v1/ports', () => {
    let node: NodeRow;
    let other: NodeRow;
    let mine: Port[];

    beforeAll(async () => {
      node = await createNode('rack1-node1');
      other = await createNode();
      mine = [];
      for (let i = 0; i < 3; i += 1) mine.push(await createPort(node));
      await createPort(other);
    });

    it('lists uuid, address and links by default; everything in detail', async () => {
      const result = await call('GET', `/v1/ports?node=${node.uuid}`);
      expect(result.status).toBe(200);
      expect(portsOf(result)).toEqual(
        mine.map((p) => ({ uuid: p.uuid, address: p.address, links: p.links })),
      );
      expect(result.body).not.toHaveProperty('next');
      const detail = await call('GET', `/v1/ports/detail?node=${node.uuid}`);
      expect(portsOf(detail)).toEqual(mine);
      const query = await call('GET', `/v1/ports?node=${node.uuid}&detail=true`);
      expect(portsOf(query)).toEqual(mine);
    });

    it('filters by node name, node uuid and address', async () => {
      const byName = await call('GET', '/v1/ports?node=rack1-node1');
      expect(portsOf(byName).map((p) => p.uuid)).toEqual(mine.map((p) => p.uuid));
      const byUuid = await call('GET', `/v1/ports?node_uuid=${node.uuid}`);
      expect(portsOf(byUuid).map((p) => p.uuid)).toEqual(mine.map((p) => p.uuid));
      const address = String(mine[1]!.address);
      const byAddress = await call('GET', `/v1/ports?address=${address.toUpperCase()}`);
      expect(portsOf(byAddress).map((p) => p.uuid)).toEqual([mine[1]!.uuid]);
      const none = await call('GET', '/v1/ports?address=52:54:00:ff:ff:ff');
      expect(portsOf(none)).toEqual([]);
      const all = await call('GET', '/v1/ports?limit=1000');
      expect(portsOf(all).length).toBeGreaterThanOrEqual(4);
    });

    it('refuses bad filters as Ironic does', async () => {
      const badMac = await call('GET', '/v1/ports?address=zz');
      expect(badMac.status).toBe(400);
      expect(fault(badMac)).toBe('Expected valid MAC address for address: zz');
      const nameTooEarly = await call('GET', '/v1/ports?node=rack1-node1', { minor: 4 });
      expect(nameTooEarly.status).toBe(406);
      const ghost = await call('GET', '/v1/ports?node=no-such-node');
      expect(ghost.status).toBe(404);
      expect(fault(ghost)).toBe('Node no-such-node could not be found.');
      const badName = await call('GET', '/v1/ports?node=a%20b');
      expect(badName.status).toBe(400);
      expect(fault(badName)).toBe('Expected UUID or name for node: a b');
      const badUuid = await call('GET', '/v1/ports?node_uuid=rack1');
      expect(fault(badUuid)).toBe('Expected UUID for node_uuid: rack1');
    });

    it('paginates with limit, marker and next, sorted either way', async () => {
      const first = await call('GET', `/v1/ports?node=${node.uuid}&limit=2`);
      expect(portsOf(first).map((p) => p.uuid)).toEqual([mine[0]!.uuid, mine[1]!.uuid]);
      const next = (first.body as { next: string }).next;
      expect(next).toBe(
        `http://${HOST}/v1/ports?node=${node.uuid}&limit=2&marker=${mine[1]!.uuid}`,
      );
      const second = await call('GET', new URL(next).pathname + new URL(next).search);
      expect(portsOf(second).map((p) => p.uuid)).toEqual([mine[2]!.uuid]);
      expect(second.body).not.toHaveProperty('next');

      const desc = await call('GET', `/v1/ports?node=${node.uuid}&sort_dir=desc&limit=2`);
      expect(portsOf(desc).map((p) => p.uuid)).toEqual([mine[2]!.uuid, mine[1]!.uuid]);
      const byAddress = await call('GET', `/v1/ports/detail?node=${node.uuid}&sort_key=address`);
      const addresses = portsOf(byAddress).map((p) => String(p.address));
      expect(addresses).toEqual([...addresses].sort());
      const detailNext = await call('GET', `/v1/ports/detail?node=${node.uuid}&limit=1`);
      expect((detailNext.body as { next: string }).next).toMatch(
        new RegExp(`^http://${HOST}/v1/ports/detail\\?`),
      );
    });

    it('pages through a nullable sort key without losing rows', async () => {
      const host = await createNode();
      const made = [
        await createPort(host, { physical_network: 'b' }),
        await createPort(host),
        await createPort(host, { physical_network: 'a' }),
        await createPort(host),
      ];
      for (const dir of ['asc', 'desc']) {
        const seen: string[] = [];
        let path: string | undefined =
          `/v1/ports?node=${host.uuid}&sort_key=physical_network&sort_dir=${dir}&limit=1`;
        while (path) {
          const page = await call('GET', path);
          seen.push(...portsOf(page).map((p) => p.uuid));
          const next = (page.body as { next?: string }).next;
          path = next ? new URL(next).pathname + new URL(next).search : undefined;
        }
        expect(seen.sort()).toEqual(made.map((p) => p.uuid).sort());
      }
    });

    it('checks marker, sort, fields and detail parameters', async () => {
      const ghost = randomUUID();
      const marker = await call('GET', `/v1/ports?marker=${ghost}`);
      expect(marker.status).toBe(404);
      expect(fault(marker)).toBe(`Port ${ghost} could not be found.`);
      const sortExtra = await call('GET', '/v1/ports?sort_key=extra');
      expect(sortExtra.status).toBe(400);
      expect((await call('GET', '/v1/ports?sort_key=pxe_enabled', { minor: 18 })).status).toBe(406);
      const fields = await call('GET', `/v1/ports?node=${node.uuid}&fields=node_uuid`);
      expect(portsOf(fields)[0]).toEqual({ node_uuid: node.uuid, links: mine[0]!.links });
      expect((await call('GET', '/v1/ports?fields=physical_network', { minor: 33 })).status).toBe(
        406,
      );
      expect((await call('GET', '/v1/ports?fields=uuid', { minor: 7 })).status).toBe(406);
      const both = await call('GET', '/v1/ports?fields=uuid&detail=true');
      expect(both.status).toBe(400);
      expect(fault(both)).toBe('Can not specify ?detail=True and fields in the same request.');
      const early = await call('GET', '/v1/ports?detail=true', { minor: 42 });
      expect(early.status).toBe(400);
      expect(fault(early)).toBe('Invalid query parameter ?detail=True received.');
      expect((await call('GET', '/v1/ports?limit=-1')).status).toBe(400);
    });
  });

  describe('GET /v1/nodes/{node}/ports', () => {
    it("lists the node's ports by uuid or name, and their details", async () => {
      const node = await createNode('rack2-node1');
      const made = [await createPort(node), await createPort(node)];
      await createPort(await createNode());
      const byUuid = await call('GET', `/v1/nodes/${node.uuid}/ports`);
      expect(byUuid.status).toBe(200);
      expect(portsOf(byUuid)).toEqual(
        made.map((p) => ({ uuid: p.uuid, address: p.address, links: p.links })),
      );
      const byName = await call('GET', '/v1/nodes/rack2-node1/ports/detail');
      expect(portsOf(byName)).toEqual(made);
      const page = await call('GET', '/v1/nodes/rack2-node1/ports?limit=1');
      expect((page.body as { next: string }).next).toBe(
        `http://${HOST}/v1/nodes/rack2-node1/ports?limit=1&marker=${made[0]!.uuid}`,
      );
      const missing = await call('GET', '/v1/nodes/no-such-node/ports');
      expect(missing.status).toBe(404);
      expect(fault(missing)).toBe('Node no-such-node could not be found.');
      const post = await call('POST', `/v1/nodes/${node.uuid}/ports`, { body: {} });
      expect(post.status).toBe(405);
      expect(post.headers.allow).toBe('GET');
    });
  });

  describe('pages by timestamps', () => {
    it('follows next links sorted by created_at or updated_at, each port once', async () => {
      const node = await createNode();
      const made = [await createPort(node), await createPort(node), await createPort(node)];
      for (const port of made.slice(0, 2)) {
        const patched = await call('PATCH', `/v1/ports/${port.uuid}`, {
          body: [{ op: 'add', path: '/extra/seen', value: true }],
        });
        expect(patched.status).toBe(200);
      }
      for (const sort of ['created_at', 'updated_at']) {
        const seen: string[] = [];
        let path: string | undefined = `/v1/nodes/${node.uuid}/ports?limit=1&sort_key=${sort}`;
        for (let pages = 0; path !== undefined && pages < 10; pages += 1) {
          const page = await call('GET', path);
          const body = page.body as { ports: Port[]; next?: string };
          seen.push(...body.ports.map((port) => port.uuid));
          path =
            body.next === undefined
              ? undefined
              : new URL(body.next).pathname + new URL(body.next).search;
        }
        expect(seen.sort(), sort).toEqual(made.map((port) => port.uuid).sort());
      }
    });
  });

  describe('PATCH /v1/ports/{port}', () => {
    it('changes patchable fields and moves a port to another node', async () => {
      const node = await createNode();
      const target = await createNode();
      const port = await createPort(node, { extra: { a: 1 } });
      const address = nextMac().toUpperCase();
      const result = await call('PATCH', `/v1/ports/${port.uuid}`, {
        body: [
          { op: 'replace', path: '/address', value: address },
          { op: 'add', path: '/extra/b', value: 2 },
          { op: 'replace', path: '/pxe_enabled', value: false },
          { op: 'add', path: '/physical_network', value: 'physnet2' },
          { op: 'replace', path: '/node_uuid', value: target.uuid },
        ],
      });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      expect(result.body).toMatchObject({
        uuid: port.uuid,
        address: address.toLowerCase(),
        extra: { a: 1, b: 2 },
        pxe_enabled: false,
        physical_network: 'physnet2',
        node_uuid: target.uuid,
        updated_at: expect.stringMatching(IRONIC_TIMESTAMP),
      });
      const shown = await call('GET', `/v1/ports/${port.uuid}`);
      expect(shown.body).toEqual(result.body);
      const onTarget = await call('GET', `/v1/nodes/${target.uuid}/ports`);
      expect(portsOf(onTarget).map((p) => p.uuid)).toEqual([port.uuid]);

      const removed = await call('PATCH', `/v1/ports/${port.uuid}`, {
        body: [
          { op: 'remove', path: '/extra' },
          { op: 'remove', path: '/physical_network' },
        ],
      });
      expect(removed.body).toMatchObject({ extra: {}, physical_network: null });
    });

    it("refuses read-only fields with Ironic's wording", async () => {
      const port = await createPort(await createNode());
      const result = await call('PATCH', `/v1/ports/${port.uuid}`, {
        body: [{ op: 'replace', path: '/uuid', value: randomUUID() }],
      });
      expect(result.status).toBe(400);
      expect(fault(result)).toBe(
        'Cannot patch /uuid. Only the following can be updated: address, ' +
          'available_for_dynamic_portgroup, category, description, extra, is_smartnic, ' +
          'local_link_connection, name, node_uuid, physical_network, portgroup_uuid, ' +
          'pxe_enabled, vendor',
      );
      const internal = await call('PATCH', `/v1/ports/${port.uuid}`, {
        body: [{ op: 'add', path: '/internal_info/x', value: 1 }],
      });
      expect(fault(internal)).toMatch(/^Cannot patch \/internal_info\/x\./);
    });

    it('refuses bad patches, bad values, taken MACs and missing nodes', async () => {
      const node = await createNode();
      const port = await createPort(node);
      const taken = await createPort(node);
      const patch = (body: unknown, minor?: number) =>
        call('PATCH', `/v1/ports/${port.uuid}`, { body, minor: minor ?? 82 });

      const notList = await patch({ op: 'replace' });
      expect(notList.status).toBe(400);
      expect(fault(notList)).toBe(
        "Schema error for patch: {'op': 'replace'} is not of type 'array'",
      );
      const move = await patch([{ op: 'move', from: '/extra', path: '/extra' }]);
      expect(fault(move)).toBe(
        "Schema error for patch: Additional properties are not allowed ('from' was unexpected)",
      );
      const test = await patch([{ op: 'test', path: '/extra', value: {} }]);
      expect(fault(test)).toBe(
        "Schema error for patch: 'test' is not one of ['add', 'replace', 'remove']",
      );
      const noValue = await patch([{ op: 'replace', path: '/extra' }]);
      expect(noValue.status).toBe(400);
      expect(fault(noValue)).toMatch(/^Couldn't apply patch/);
      const missingKey = await patch([{ op: 'remove', path: '/extra/nope' }]);
      expect(missingKey.status).toBe(400);
      expect(fault(missingKey)).toMatch(/^Couldn't apply patch/);

      const badMac = await patch([{ op: 'replace', path: '/address', value: 'zz' }]);
      expect(fault(badMac)).toBe('Expected valid MAC address for address: zz');
      const noAddress = await patch([{ op: 'remove', path: '/address' }]);
      expect(fault(noAddress)).toBe("Schema error for patch: 'address' is a required property");
      const dup = await patch([{ op: 'replace', path: '/address', value: taken.address }]);
      expect(dup.status).toBe(409);
      expect(fault(dup)).toBe(`A port with MAC address ${String(taken.address)} already exists.`);
      const ghost = randomUUID();
      const noNode = await patch([{ op: 'replace', path: '/node_uuid', value: ghost }]);
      expect(noNode.status).toBe(400);
      expect(fault(noNode)).toBe(`Node ${ghost} could not be found.`);
      const early = await patch([{ op: 'replace', path: '/physical_network', value: 'x' }], 33);
      expect(early.status).toBe(406);
      const earlyRemove = await patch([{ op: 'remove', path: '/local_link_connection' }], 18);
      expect(earlyRemove.status).toBe(406);

      const unchanged = await call('GET', `/v1/ports/${port.uuid}`);
      expect(unchanged.body).toEqual(port);
    });

    it('answers 404 for an unknown port', async () => {
      const ghost = randomUUID();
      const result = await call('PATCH', `/v1/ports/${ghost}`, {
        body: [{ op: 'replace', path: '/extra', value: {} }],
      });
      expect(result.status).toBe(404);
      expect(fault(result)).toBe(`Port ${ghost} could not be found.`);
    });
  });

  describe('DELETE /v1/ports/{port}', () => {
    it('deletes a port, then answers 404', async () => {
      const port = await createPort(await createNode());
      const result = await call('DELETE', `/v1/ports/${port.uuid}`);
      expect(result.status).toBe(204);
      expect(result.text).toBe('');
      expect((await call('GET', `/v1/ports/${port.uuid}`)).status).toBe(404);
      const again = await call('DELETE', `/v1/ports/${port.uuid}`);
      expect(again.status).toBe(404);
      expect(fault(again)).toBe(`Port ${port.uuid} could not be found.`);
    });

    it('goes with its node when the node is deleted', async () => {
      const node = await createNode();
      const port = await createPort(node);
      expect((await call('DELETE', `/v1/nodes/${node.uuid}`)).status).toBe(204);
      expect((await call('GET', `/v1/ports/${port.uuid}`)).status).toBe(404);
      // Its MAC address is free again.
      const reused = await call('POST', '/v1/ports', {
        body: { address: port.address, node_uuid: (await createNode()).uuid },
      });
      expect(reused.status).toBe(201);
    });
  });

  it('answers 405 with Allow for methods a port resource does not take', async () => {
    const put = await call('PUT', '/v1/ports');
    expect(put.status).toBe(405);
    const collection = await call('DELETE', '/v1/ports');
    expect(collection.status).toBe(405);
    expect(collection.headers.allow).toBe('GET, POST');
    const detail = await call('POST', '/v1/ports/detail', { body: {} });
    expect(detail.status).toBe(405);
    expect(detail.headers.allow).toBe('GET');
  });
});
