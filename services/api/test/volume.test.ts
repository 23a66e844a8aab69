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

describe("Ironic's volume API (in-process environment)", () => {
  let env: InProcessEnvironment;

  const call = (method: string, path: string, options: ApiRequestOptions = {}) =>
    apiRequest(env.apiUrl, method, path, { minor: 32, ...options, headers: { Host: HOST } });
  const fault = (result: HttpResult) => innerError(result.body).faultstring;

  const createNode = async (): Promise<Item> => {
    const name = `vol-${randomUUID().slice(0, 8)}`;
    const result = await call('POST', '/v1/nodes', { body: { driver: 'fake-hardware', name } });
    expect(result.status, result.text).toBe(201);
    return result.body as Item;
  };
  /** Powers the node through the API and waits until the conductor reports it. */
  const power = async (node: Item, target: 'power on' | 'power off') => {
    const result = await call('PUT', `/v1/nodes/${node.uuid}/states/power`, { body: { target } });
    expect(result.status, result.text).toBe(202);
    await expect
      .poll(
        async () => ((await call('GET', `/v1/nodes/${node.uuid}/states`)).body as Item).power_state,
        { timeout: 30_000 },
      )
      .toBe(target);
  };
  let counter = 0;
  const createConnector = async (node: Item, body: Record<string, unknown> = {}) => {
    counter += 1;
    const result = await call('POST', '/v1/volume/connectors', {
      body: {
        node_uuid: node.uuid,
        type: 'iqn',
        connector_id: `iqn.2026-11.test:${counter}`,
        ...body,
      },
    });
    expect(result.status, result.text).toBe(201);
    return result.body as Item;
  };
  const createTarget = async (node: Item, body: Record<string, unknown> = {}) => {
    const result = await call('POST', '/v1/volume/targets', {
      body: {
        node_uuid: node.uuid,
        volume_type: 'iscsi',
        boot_index: 0,
        volume_id: randomUUID(),
        ...body,
      },
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

  it('answers the volume root and its node counterpart with links, and 404 before 1.32', async () => {
    const root = await call('GET', '/v1/volume');
    expect(root.status).toBe(200);
    expect(root.body).toEqual({
      links: ironicLinks(BASE, 'volume/'),
      connectors: ironicLinks(BASE, 'volume/connectors'),
      targets: ironicLinks(BASE, 'volume/targets'),
    });
    const node = await createNode();
    const under = await call('GET', `/v1/nodes/${node.name as string}/volume`);
    expect(under.body).toEqual({
      links: ironicLinks(BASE, `nodes/${node.name as string}/volume/`),
      connectors: ironicLinks(BASE, `nodes/${node.name as string}/volume/connectors`),
      targets: ironicLinks(BASE, `nodes/${node.name as string}/volume/targets`),
    });
    expect((await call('GET', '/v1/volume', { minor: 31 })).status).toBe(404);
    expect((await call('GET', '/v1/volume/connectors', { minor: 31 })).status).toBe(404);
    expect((await call('GET', `/v1/nodes/${node.uuid}/volume/targets`, { minor: 31 })).status).toBe(
      404,
    );
  });

  it('creates, shows and lists connectors; type and connector ID are unique together', async () => {
    const node = await createNode();
    const result = await call('POST', '/v1/volume/connectors', {
      body: {
        node_uuid: node.uuid,
        type: 'wwpn',
        connector_id: '10:00:00:00:00:00:00:01',
        extra: { a: 1 },
      },
    });
    expect(result.status, result.text).toBe(201);
    const connector = result.body as Item;
    expect(result.headers.location).toBe(`${BASE}/v1/volume/connectors/${connector.uuid}`);
    expect(connector).toEqual({
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      node_uuid: node.uuid,
      extra: { a: 1 },
      created_at: expect.stringMatching(IRONIC_TIMESTAMP),
      updated_at: null,
      links: ironicLinks(BASE, `volume/connectors/${connector.uuid}`),
      type: 'wwpn',
      connector_id: '10:00:00:00:00:00:00:01',
    });
    expect((await call('GET', `/v1/volume/connectors/${connector.uuid}`)).body).toEqual(connector);
    const listed = await call('GET', `/v1/volume/connectors?node=${node.name as string}`);
    expect(listed.body).toEqual({
      connectors: [
        {
          uuid: connector.uuid,
          node_uuid: node.uuid,
          type: 'wwpn',
          connector_id: '10:00:00:00:00:00:00:01',
          links: connector.links,
        },
      ],
    });
    const underNode = await call('GET', `/v1/nodes/${node.uuid}/volume/connectors?detail=True`);
    expect((underNode.body as { connectors: Item[] }).connectors).toEqual([connector]);
    const both = await call('GET', '/v1/volume/connectors?detail=True&fields=uuid');
    expect(both.status).toBe(400);
    expect(fault(both)).toBe("Can't fetch a subset of fields with 'detail' set");
    const duplicate = await call('POST', '/v1/volume/connectors', {
      body: { node_uuid: node.uuid, type: 'wwpn', connector_id: '10:00:00:00:00:00:00:01' },
    });
    expect(duplicate.status).toBe(409);
    expect(fault(duplicate)).toBe(
      'A volume connector with type wwpn and connector ID 10:00:00:00:00:00:00:01 already exists.',
    );
  });

  it("refuses bad connector and target bodies in Ironic's words", async () => {
    const node = await createNode();
    const ghost = randomUUID();
    const cases: [string, unknown, string][] = [
      [
        'connectors',
        { node_uuid: node.uuid, type: 'iqn' },
        "Schema error for connector: 'connector_id' is a required property",
      ],
      [
        'connectors',
        { node_uuid: 'x', type: 'iqn', connector_id: 'c' },
        'Expected UUID for node_uuid: x',
      ],
      [
        'connectors',
        { node_uuid: ghost, type: 'iqn', connector_id: 'c' },
        `Invalid input for field/attribute node_uuid. Value: '${ghost}'. `,
      ],
      [
        'targets',
        { node_uuid: node.uuid, volume_type: 'iscsi', boot_index: '0', volume_id: 'v' },
        "Schema error for target: '0' is not of type 'integer'",
      ],
      [
        'targets',
        { node_uuid: node.uuid, volume_type: 'iscsi', volume_id: 'v' },
        "Schema error for target: 'boot_index' is a required property",
      ],
    ];
    for (const [collection, body, message] of cases) {
      const result = await call('POST', `/v1/volume/${collection}`, { body });
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(fault(result)).toBe(message);
    }
    const missing = await call('GET', `/v1/volume/targets/${ghost}`);
    expect(missing.status).toBe(404);
    expect(fault(missing)).toBe(`Volume target ${ghost} could not be found.`);
    const notUuid = await call('GET', '/v1/volume/connectors/detail');
    expect(notUuid.status).toBe(400);
    expect(fault(notUuid)).toBe('Expected UUID for connector_uuid: detail');
  });

  it('creates targets with one boot index per node, and pages them', async () => {
    const node = await createNode();
    const first = await createTarget(node, { properties: { target_lun: 0 } });
    expect(first).toMatchObject({
      volume_type: 'iscsi',
      boot_index: 0,
      properties: { target_lun: 0 },
    });
    const again = await call('POST', '/v1/volume/targets', {
      body: { node_uuid: node.uuid, volume_type: 'iscsi', boot_index: 0, volume_id: 'v2' },
    });
    expect(again.status).toBe(409);
    expect(fault(again)).toBe(
      "A volume target with boot index '0' for the same node already exists.",
    );
    const second = await createTarget(node, { boot_index: 1 });
    const page = await call('GET', `/v1/volume/targets?node=${node.uuid}&limit=1`);
    const body = page.body as { targets: Item[]; next: string };
    expect(body.targets.map((t) => t.uuid)).toEqual([first.uuid]);
    expect(body.next).toBe(
      `${BASE}/v1/volume/targets?node=${node.uuid}&limit=1&marker=${first.uuid}`,
    );
    const sorted = await call(
      'GET',
      `/v1/nodes/${node.uuid}/volume/targets?sort_key=boot_index&sort_dir=desc`,
    );
    expect((sorted.body as { targets: Item[] }).targets.map((t) => t.uuid)).toEqual([
      second.uuid,
      first.uuid,
    ]);
    expect((await call('GET', '/v1/volume/targets?sort_key=properties')).status).toBe(400);
  });

  it('changes a connector or target only while its node is powered off', async () => {
    const node = await createNode();
    const connector = await createConnector(node);
    const target = await createTarget(node);
    await power(node, 'power on');
    const refused = await call('PATCH', `/v1/volume/connectors/${connector.uuid}`, {
      body: [{ op: 'replace', path: '/connector_id', value: 'iqn.2026-11.test:changed' }],
    });
    expect(refused.status).toBe(400);
    expect(fault(refused)).toBe(
      `The requested action "volume connector update" can not be performed on node "${node.uuid}" while it is in state "power on".`,
    );
    const refusedTarget = await call('PATCH', `/v1/volume/targets/${target.uuid}`, {
      body: [{ op: 'replace', path: '/boot_index', value: 3 }],
    });
    expect(refusedTarget.status).toBe(400);
    expect(fault(refusedTarget)).toContain('"volume target update"');
    await power(node, 'power off');
    const changed = await call('PATCH', `/v1/volume/connectors/${connector.uuid}`, {
      body: [
        { op: 'replace', path: '/connector_id', value: 'iqn.2026-11.test:changed' },
        { op: 'add', path: '/extra/x', value: 'y' },
      ],
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({
      connector_id: 'iqn.2026-11.test:changed',
      extra: { x: 'y' },
      updated_at: expect.stringMatching(IRONIC_TIMESTAMP),
    });
    const retarget = await call('PATCH', `/v1/volume/targets/${target.uuid}`, {
      body: [{ op: 'replace', path: '/boot_index', value: 3 }],
    });
    expect(retarget.status).toBe(200);
    expect(retarget.body).toMatchObject({ boot_index: 3 });
    const badNode = await call('PATCH', `/v1/volume/targets/${target.uuid}`, {
      body: [{ op: 'replace', path: '/node_uuid', value: 'nope' }],
    });
    expect(badNode.status).toBe(400);
    expect(fault(badNode)).toBe('Expected a UUID for node_uuid, but received nope.');
  });

  it('deletes while the node is powered off or in a state a node may be deleted in', async () => {
    const node = await createNode();
    const connector = await createConnector(node);
    const target = await createTarget(node);
    // A deployed node that is powered on: put there behind the API's back, as no deploy runs here.
    await queryDatabase(
      env.databaseUrl!,
      "UPDATE nodes SET provision_state = 'active', power_state = 'power on' WHERE uuid = $1",
      [node.uuid],
    );
    const refused = await call('DELETE', `/v1/volume/connectors/${connector.uuid}`);
    expect(refused.status).toBe(400);
    expect(fault(refused)).toBe(
      `The requested action "volume connector deletion" can not be performed on node "${node.uuid}" while it is in state "power on".`,
    );
    await queryDatabase(
      env.databaseUrl!,
      "UPDATE nodes SET provision_state = 'manageable' WHERE uuid = $1",
      [node.uuid],
    );
    expect((await call('DELETE', `/v1/volume/connectors/${connector.uuid}`)).status).toBe(204);
    expect((await call('DELETE', `/v1/volume/targets/${target.uuid}`)).status).toBe(204);
    const gone = await call('DELETE', `/v1/volume/targets/${target.uuid}`);
    expect(gone.status).toBe(404);
  });

  it('takes the noop storage interface on a node from 1.33 (hidden below); cinder is not built, so refused', async () => {
    const node = await createNode();
    const set = await call('PATCH', `/v1/nodes/${node.uuid}`, {
      minor: 33,
      body: [{ op: 'replace', path: '/storage_interface', value: 'noop' }],
    });
    expect(set.status, set.text).toBe(200);
    expect(set.body).toMatchObject({ storage_interface: 'noop' });
    const old = await call('GET', `/v1/nodes/${node.uuid}`, { minor: 32 });
    expect(old.body as Item).not.toHaveProperty('storage_interface');
    const unknown = await call('PATCH', `/v1/nodes/${node.uuid}`, {
      minor: 33,
      body: [{ op: 'replace', path: '/storage_interface', value: 'cinder' }],
    });
    expect(unknown.status).toBe(400);
  });
});
