import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  createInProcess,
  innerError,
  queryDatabase,
  type ApiRequestOptions,
  type HttpResult,
  type InProcessEnvironment,
} from '@galvanic/testing';

type Item = Record<string, unknown> & { uuid: string };

/** The port rows of Ironic's microversions 1.88 to 1.111. */
describe('port fields and filters of 1.88-1.111 (in-process environment)', () => {
  let env: InProcessEnvironment;

  const call = (method: string, path: string, minor: number, options: ApiRequestOptions = {}) =>
    apiRequest(env.apiUrl, method, path, { ...options, minor });
  const fault = (result: HttpResult) => innerError(result.body).faultstring;

  let macCounter = 0;
  const nextMac = () => {
    macCounter += 1;
    const hex = macCounter.toString(16).padStart(4, '0');
    return `52:54:00:20:${hex.slice(0, 2)}:${hex.slice(2)}`;
  };

  const createNode = async (): Promise<Item> => {
    const name = `pv-${randomUUID().slice(0, 8)}`;
    const result = await call('POST', '/v1/nodes', 82, { body: { driver: 'fake-hardware', name } });
    expect(result.status, result.text).toBe(201);
    return result.body as Item;
  };
  const createPort = async (minor: number, body: Record<string, unknown>) =>
    call('POST', '/v1/ports', minor, { body: { address: nextMac(), ...body } });
  const show = async (uuid: string, minor: number) =>
    (await call('GET', `/v1/ports/${uuid}`, minor)).body as Item;

  let node: Item;

  beforeAll(async () => {
    env = await createInProcess();
    node = await createNode();
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  /** A field of `since`: refused (406) on create and patch and hidden below it, shown from it. */
  const versionedField = (field: string, since: number, value: unknown) => async () => {
    const old = await createPort(since - 1, { node_uuid: node.uuid, [field]: value });
    expect(old.status, old.text).toBe(406);
    const created = await createPort(since, { node_uuid: node.uuid, [field]: value });
    expect(created.status, created.text).toBe(201);
    const port = created.body as Item;
    expect(port[field]).toEqual(value);
    expect(await show(port.uuid, since - 1)).not.toHaveProperty(field);
    expect((await show(port.uuid, since))[field]).toEqual(value);
    const fields = await call('GET', `/v1/ports/${port.uuid}?fields=${field}`, since - 1);
    expect(fields.status).toBe(406);
    const patchOld = await call('PATCH', `/v1/ports/${port.uuid}`, since - 1, {
      body: [{ op: 'remove', path: `/${field}` }],
    });
    expect(patchOld.status).toBe(406);
    const sortOld = await call('GET', `/v1/ports?sort_key=${field}`, since - 1);
    expect(sortOld.status).toBe(406);
    return port;
  };

  it('1.88: port name, unique, and a port shown and patched by name', async () => {
    const port = await versionedField('name', 88, 'eth-88')();
    const byName = await call('GET', '/v1/ports/eth-88', 88);
    expect(byName.status).toBe(200);
    expect((byName.body as Item).uuid).toBe(port.uuid);
    const before = await call('GET', '/v1/ports/eth-88', 87);
    expect(before.status).toBe(400);
    expect(fault(before)).toBe('Expected UUID for port_uuid: eth-88');
    const patched = await call('PATCH', '/v1/ports/eth-88', 88, {
      body: [{ op: 'replace', path: '/name', value: 'eth-88b' }],
    });
    expect(patched.status, patched.text).toBe(200);
    expect((patched.body as Item).name).toBe('eth-88b');
    const duplicate = await createPort(88, { node_uuid: node.uuid, name: 'eth-88b' });
    expect(duplicate.status).toBe(409);
    expect(fault(duplicate)).toBe('A port with name eth-88b already exists.');
  });

  it('1.97: port description (at most 255 characters)', async () => {
    await versionedField('description', 97, 'uplink to tor-1')();
    const long = await createPort(97, { node_uuid: node.uuid, description: 'd'.repeat(256) });
    expect(long.status).toBe(400);
    expect(fault(long)).toBe(`Schema error for port: '${'d'.repeat(256)}' is too long`);
  });

  it('1.100: port vendor (at most 32 characters)', async () => {
    await versionedField('vendor', 100, 'mellanox')();
    const long = await createPort(100, { node_uuid: node.uuid, vendor: 'v'.repeat(33) });
    expect(long.status).toBe(400);
  });

  it('1.101: port category (at most 80 characters)', async () => {
    await versionedField('category', 101, 'storage')();
    const long = await createPort(101, { node_uuid: node.uuid, category: 'c'.repeat(81) });
    expect(long.status).toBe(400);
  });

  it('1.111: available_for_dynamic_portgroup, true unless set, a JSON boolean only', async () => {
    const port = await versionedField('available_for_dynamic_portgroup', 111, false)();
    expect(port.available_for_dynamic_portgroup).toBe(false);
    const plain = await createPort(111, { node_uuid: node.uuid });
    expect((plain.body as Item).available_for_dynamic_portgroup).toBe(true);
    const text = await createPort(111, {
      node_uuid: node.uuid,
      available_for_dynamic_portgroup: 'yes',
    });
    expect(text.status).toBe(400);
    expect(fault(text)).toBe("Schema error for port: 'yes' is not of type 'boolean'");
  });

  it('1.94: a port created with node_ident naming its node by name or UUID', async () => {
    const byName = await createPort(94, { node_ident: node.name });
    expect(byName.status, byName.text).toBe(201);
    expect((byName.body as Item).node_uuid).toBe(node.uuid);
    const byUuid = await createPort(94, { node_ident: node.uuid });
    expect(byUuid.status).toBe(201);
    const old = await createPort(93, { node_ident: node.name });
    expect(old.status).toBe(406);
    const unknown = await createPort(94, { node_ident: 'no-such-node' });
    expect(unknown.status).toBe(400);
    expect(fault(unknown)).toBe('Node no-such-node could not be found.');
    const both = await createPort(94, { node_ident: node.name, node_uuid: node.uuid });
    expect(both.status).toBe(400);
  });

  it('1.90 and 1.105: the OVN VTEP local link is taken and shown only from 1.90 to 1.104', async () => {
    const link = {
      port_id: 'p1',
      'vtep-logical-switch': 'ls1',
      'vtep-physical-switch': 'ps1',
    };
    const old = await createPort(89, { node_uuid: node.uuid, local_link_connection: link });
    expect(old.status).toBe(406);
    const created = await createPort(90, { node_uuid: node.uuid, local_link_connection: link });
    expect(created.status, created.text).toBe(201);
    const port = created.body as Item;
    expect(port.local_link_connection).toEqual(link);
    expect((await show(port.uuid, 104)).local_link_connection).toEqual(link);
    expect((await show(port.uuid, 89)).local_link_connection).toEqual({});
    expect((await show(port.uuid, 105)).local_link_connection).toEqual({});
    const half = await createPort(90, {
      node_uuid: node.uuid,
      local_link_connection: { port_id: 'p1', 'vtep-logical-switch': 'ls1' },
    });
    expect(half.status).toBe(400);
    const ordinary = await createPort(105, {
      node_uuid: node.uuid,
      local_link_connection: { port_id: 'p2', switch_id: '00:11:22:33:44:55' },
    });
    expect((ordinary.body as Item).local_link_connection).toEqual({
      port_id: 'p2',
      switch_id: '00:11:22:33:44:55',
    });
  });

  it("1.99: ports filtered by their node's conductor group", async () => {
    const group = `cg-${randomUUID().slice(0, 8)}`;
    const grouped = await createNode();
    // No conductor of that group runs here: the node is put in it behind the API's back.
    await queryDatabase(env.databaseUrl!, 'UPDATE nodes SET conductor_group = $1 WHERE uuid = $2', [
      group,
      grouped.uuid,
    ]);
    const port = (await createPort(99, { node_uuid: grouped.uuid })).body as Item;
    const listed = await call('GET', `/v1/ports?conductor_groups=${group},other`, 99);
    expect(listed.status).toBe(200);
    expect((listed.body as { ports: Item[] }).ports.map((p) => p.uuid)).toEqual([port.uuid]);
    const old = await call('GET', `/v1/ports?conductor_groups=${group}`, 98);
    expect(old.status).toBe(406);
    const combined = await call(
      'GET',
      `/v1/ports?conductor_groups=${group}&node=${grouped.uuid}`,
      99,
    );
    expect(combined.status).toBe(400);
    expect(fault(combined)).toBe(
      'Filtering by conductor_groups cannot be combined with node_ident, portgroup_ident, ' +
        'or node address filters.',
    );
  });
});
