import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource, NodeStore } from '@galvanic/db';
import {
  apiRequest,
  createInProcess,
  innerError,
  IRONIC_TIMESTAMP,
  type HttpResult,
  type InProcessEnvironment,
} from '@galvanic/testing';

type Json = Record<string, unknown>;

describe("Ironic's node sub-resources and behaviours (in-process environment, fake-hardware)", () => {
  let env: InProcessEnvironment;
  let base: string;
  const call = (
    method: string,
    path: string,
    options: { minor?: number; body?: unknown; headers?: Record<string, string> } = {},
  ) => apiRequest(base, method, path, options);
  const fault = (result: HttpResult) => innerError(result.body).faultstring;
  const show = async (ident: string, minor = 82) =>
    (await call('GET', `/v1/nodes/${ident}`, { minor })).body as Json;
  const create = async (body: Json, minor = 82): Promise<Json> => {
    const created = await call('POST', '/v1/nodes', { body, minor });
    expect(created.status, created.text).toBe(201);
    return created.body as Json;
  };
  const provision = async (ident: string, target: string, expected: string, minor = 82) => {
    const result = await call('PUT', `/v1/nodes/${ident}/states/provision`, {
      body: { target },
      minor,
    });
    expect(result.status, result.text).toBe(202);
    await expect
      .poll(async () => (await show(ident)).provision_state, { timeout: 15_000 })
      .toBe(expected);
  };

  beforeAll(async () => {
    env = await createInProcess();
    base = env.apiUrl;
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  it('maintenance: PUT with a reason and DELETE (which clears reason and fault), 202 each', async () => {
    await create({ driver: 'fake-hardware', name: 'maint-1' });
    const set = await call('PUT', '/v1/nodes/maint-1/maintenance', { body: { reason: 'disk' } });
    expect(set.status, set.text).toBe(202);
    expect(set.text).toBe('');
    expect(await show('maint-1')).toMatchObject({ maintenance: true, maintenance_reason: 'disk' });
    const unset = await call('DELETE', '/v1/nodes/maint-1/maintenance');
    expect(unset.status).toBe(202);
    expect(await show('maint-1')).toMatchObject({ maintenance: false, maintenance_reason: null });
    const missing = await call('PUT', '/v1/nodes/nope/maintenance', { body: {} });
    expect(missing.status).toBe(404);
    expect(fault(missing)).toBe('Node nope could not be found.');
  });

  it('traits: set all, add one, remove one, remove all, with Ironic rules and words', async () => {
    await create({ driver: 'fake-hardware', name: 'traits-1' });
    const path = '/v1/nodes/traits-1/traits';
    expect((await call('GET', path, { minor: 36 })).status).toBe(404);
    const set = await call('PUT', path, { body: { traits: ['CUSTOM_B', 'HW_CPU_X86_AVX2'] } });
    expect(set.status, set.text).toBe(204);
    expect((await call('GET', path)).body).toEqual({ traits: ['CUSTOM_B', 'HW_CPU_X86_AVX2'] });
    // No body and no content type, as openstacksdk sends it.
    const added = await call('PUT', `${path}/CUSTOM_A`);
    expect(added.status, added.text).toBe(204);
    expect(added.headers.location).toBe(`${base}/v1/nodes/traits-1/traits/CUSTOM_A`);
    expect((await show('traits-1')).traits).toEqual(['CUSTOM_A', 'CUSTOM_B', 'HW_CPU_X86_AVX2']);
    expect((await call('DELETE', `${path}/CUSTOM_B`)).status).toBe(204);
    expect((await call('GET', path)).body).toEqual({ traits: ['CUSTOM_A', 'HW_CPU_X86_AVX2'] });
    const notThere = await call('DELETE', `${path}/CUSTOM_B`);
    expect(notThere.status).toBe(404);
    const uuid = (await show('traits-1')).uuid as string;
    expect(fault(notThere)).toBe(`Node ${uuid} doesn't have a trait 'CUSTOM_B'`);
    const bad = await call('PUT', `${path}/custom_lower`, {
      headers: { 'Content-Type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(fault(bad)).toBe(
      "Schema error for trait: 'custom_lower' is not valid under any of the given schemas",
    );
    const long = await call('PUT', path, { body: { traits: [`CUSTOM_${'A'.repeat(250)}`] } });
    expect(long.status).toBe(400);
    expect(fault(long)).toMatch(/^Schema error for body: 'CUSTOM_A+' is too long$/);
    const neither = await call('PUT', path, { headers: { 'Content-Type': 'application/json' } });
    expect(neither.status).toBe(400);
    expect(fault(neither)).toMatch(/^A single node trait may be added via PUT/);
    const tooMany = Array.from({ length: 51 }, (_, i) => `CUSTOM_T${i}`);
    const refused = await call('PUT', path, { body: { traits: tooMany } });
    expect(refused.status).toBe(400);
    expect(fault(refused)).toMatch(
      /^Could not modify traits for node \d+ as it would exceed the maximum number of traits per node \(51 vs\. 50\)$/,
    );
    expect((await call('DELETE', path)).status).toBe(204);
    expect((await call('GET', path)).body).toEqual({ traits: [] });
  });

  it('VIFs: attached to a free port (PXE-enabled first), listed, detached, as Ironic', async () => {
    const node = await create({ driver: 'fake-hardware', name: 'vif-1' });
    const path = '/v1/nodes/vif-1/vifs';
    const none = await call('POST', path, { body: { id: 'vif-a' } });
    expect(none.status).toBe(400);
    expect(fault(none)).toBe('Unable to attach VIF vif-a, not enough free physical ports.');
    for (const [address, pxe] of [
      ['52:54:00:00:00:01', false],
      ['52:54:00:00:00:02', true],
    ] as const) {
      const port = await call('POST', '/v1/ports', {
        body: { node_uuid: node.uuid, address, pxe_enabled: pxe },
      });
      expect(port.status, port.text).toBe(201);
    }
    expect((await call('GET', path, { minor: 27 })).status).toBe(404);
    expect((await call('POST', path, { body: { id: 'vif-a' } })).status).toBe(204);
    const ports = (await call('GET', '/v1/ports/detail?node=vif-1')).body as { ports: Json[] };
    const byAddress = new Map(ports.ports.map((p) => [p.address, p]));
    expect(byAddress.get('52:54:00:00:00:02')!.internal_info).toEqual({
      tenant_vif_port_id: 'vif-a',
    });
    expect(byAddress.get('52:54:00:00:00:01')!.internal_info).toEqual({});
    const again = await call('POST', path, { body: { id: 'vif-a' } });
    expect(again.status).toBe(409);
    expect(fault(again)).toBe(
      `Unable to attach VIF because VIF vif-a is already attached to Ironic Port ${byAddress.get('52:54:00:00:00:02')!.uuid as string}`,
    );
    expect((await call('POST', path, { body: { id: 'vif-b' } })).status).toBe(204);
    expect((await call('GET', path)).body).toEqual({ vifs: [{ id: 'vif-b' }, { id: 'vif-a' }] });
    const noId = await call('POST', path, { body: {} });
    expect(noId.status).toBe(400);
    expect(fault(noId)).toBe("Schema error for vif: 'id' is a required property");
    expect((await call('DELETE', `${path}/vif-a`)).status).toBe(204);
    expect((await call('GET', path)).body).toEqual({ vifs: [{ id: 'vif-b' }] });
    const gone = await call('DELETE', `${path}/vif-a`);
    expect(gone.status).toBe(400);
    expect(fault(gone)).toBe(
      `Unable to detach VIF vif-a from node ${node.uuid as string} because it is not attached to it.`,
    );
  });

  it('VIFs go to a port group before its ports, and back to a free port once it is taken', async () => {
    const node = await create({ driver: 'fake-hardware', name: 'vif-pg' });
    const group = await call('POST', '/v1/portgroups', {
      body: { node_uuid: node.uuid, name: 'bond0', address: '52:54:00:00:01:00' },
      minor: 82,
    });
    expect(group.status, group.text).toBe(201);
    const groupUuid = (group.body as Json).uuid as string;
    for (const [address, portgroup] of [
      ['52:54:00:00:01:01', groupUuid],
      ['52:54:00:00:01:02', undefined],
    ] as const) {
      const port = await call('POST', '/v1/ports', {
        body: {
          node_uuid: node.uuid,
          address,
          ...(portgroup ? { portgroup_uuid: portgroup } : {}),
        },
        minor: 82,
      });
      expect(port.status, port.text).toBe(201);
    }
    expect((await call('POST', '/v1/nodes/vif-pg/vifs', { body: { id: 'vif-1' } })).status).toBe(
      204,
    );
    const shownGroup = (await call('GET', `/v1/portgroups/${groupUuid}`, { minor: 82 }))
      .body as Json;
    expect(shownGroup.internal_info).toEqual({ tenant_vif_port_id: 'vif-1' });
    const again = await call('POST', '/v1/nodes/vif-pg/vifs', { body: { id: 'vif-1' } });
    expect(fault(again)).toBe(
      `Unable to attach VIF because VIF vif-1 is already attached to Ironic Portgroup ${groupUuid}`,
    );
    expect((await call('POST', '/v1/nodes/vif-pg/vifs', { body: { id: 'vif-2' } })).status).toBe(
      204,
    );
    // Ports first, then port groups, as Ironic lists them.
    expect((await call('GET', '/v1/nodes/vif-pg/vifs')).body).toEqual({
      vifs: [{ id: 'vif-2' }, { id: 'vif-1' }],
    });
    expect((await call('DELETE', '/v1/nodes/vif-pg/vifs/vif-1')).status).toBe(204);
    const cleared = (await call('GET', `/v1/portgroups/${groupUuid}`, { minor: 82 })).body as Json;
    expect(cleared.internal_info).toEqual({});
  });

  it('states/raid: target_raid_config checked by the raid interface, then saved (204)', async () => {
    await create({ driver: 'fake-hardware', name: 'raid-1', raid_interface: 'fake' });
    const config = { logical_disks: [{ size_gb: 100, raid_level: '1', is_root_volume: true }] };
    const set = await call('PUT', '/v1/nodes/raid-1/states/raid', { body: config });
    expect(set.status, set.text).toBe(204);
    expect((await show('raid-1')).target_raid_config).toEqual(config);
    const badLevel = await call('PUT', '/v1/nodes/raid-1/states/raid', {
      body: { logical_disks: [{ size_gb: 'MAX', raid_level: '7' }] },
    });
    expect(badLevel.status).toBe(400);
    expect(fault(badLevel)).toBe(
      "RAID config validation error: '7' is not one of ['JBOD', '0', '1', '2', '5', '6', '1+0', '5+0', '6+0']",
    );
    const noDisks = await call('PUT', '/v1/nodes/raid-1/states/raid', { body: { foo: 1 } });
    expect(fault(noDisks)).toBe(
      "RAID config validation error: 'logical_disks' is a required property",
    );
    await create({ driver: 'fake-hardware', name: 'raid-2', raid_interface: 'no-raid' });
    const unsupported = await call('PUT', '/v1/nodes/raid-2/states/raid', { body: config });
    expect(unsupported.status).toBe(400);
    expect(fault(unsupported)).toBe(
      'Driver fake-hardware does not support raid (disabled or not implemented).',
    );
    const cleared = await call('PUT', '/v1/nodes/raid-1/states/raid', { body: {} });
    expect(cleared.status).toBe(204);
    expect((await show('raid-1')).target_raid_config).toEqual({});
  });

  it('history (1.78): state changes and errors, detail, one event, 1.115 state fields', async () => {
    await create({ driver: 'fake-hardware', name: 'hist-1' });
    expect((await call('GET', '/v1/nodes/hist-1/history', { minor: 77 })).status).toBe(404);
    await provision('hist-1', 'manage', 'manageable');
    const history = async () => {
      const list = await call('GET', '/v1/nodes/hist-1/history', { minor: 78 });
      expect(list.status, list.text).toBe(200);
      return (list.body as { history: Json[] }).history;
    };
    // Each event is written just after the node's row: wait for the last one.
    await expect.poll(async () => (await history()).length).toBe(2);
    const events = await history();
    expect(events.map((e) => e.event)).toEqual([
      'Provision state changed from enroll to verifying',
      'Provision state changed from verifying to manageable',
    ]);
    const first = events[0]!;
    expect(Object.keys(first).sort()).toEqual(['created_at', 'event', 'links', 'severity', 'uuid']);
    expect(first.created_at).toMatch(IRONIC_TIMESTAMP);
    expect(first.severity).toBe('INFO');
    const detail = await call('GET', '/v1/nodes/hist-1/history?detail=True', { minor: 78 });
    const detailed = (detail.body as { history: Json[] }).history[1]!;
    expect(detailed).toMatchObject({ event_type: 'verify', conductor: 'c1', user: null });
    expect(detailed).not.toHaveProperty('state');
    // The path python-ironicclient's `history list --long` asks for.
    const viaPath = await call('GET', '/v1/nodes/hist-1/history/detail', { minor: 78 });
    expect((viaPath.body as { history: Json[] }).history[1]).toEqual(detailed);
    const one = await call('GET', `/v1/nodes/hist-1/history/${first.uuid as string}`, {
      minor: 115,
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      uuid: first.uuid,
      state: 'verifying',
      target_provision_state: 'manageable',
    });
    expect(typeof (one.body as Json).duration_seconds).toBe('number');
    expect((one.body as Json).project).toBeNull();
    const before113 = await call('GET', `/v1/nodes/hist-1/history/${first.uuid as string}`, {
      minor: 112,
    });
    expect(before113.body).not.toHaveProperty('project');
    expect(before113.body).not.toHaveProperty('state');
    const missing = await call(
      'GET',
      '/v1/nodes/hist-1/history/2f1c7b2e-0000-4000-8000-000000000000',
      { minor: 78 },
    );
    expect(missing.status).toBe(404);
    expect(fault(missing)).toBe(
      'Node history record 2f1c7b2e-0000-4000-8000-000000000000 could not be found.',
    );
  });

  it('history records an error with severity ERROR', async () => {
    await create({ driver: 'fake-hardware', name: 'hist-2', deploy_interface: 'fake' });
    await provision('hist-2', 'manage', 'manageable');
    // Cleaning with a step no interface has fails the node into clean failed with last_error.
    const cleaning = await call('PUT', '/v1/nodes/hist-2/states/provision', {
      body: { target: 'clean', clean_steps: [{ interface: 'deploy', step: 'no_such_step' }] },
    });
    expect(cleaning.status, cleaning.text).toBe(202);
    await expect
      .poll(async () => (await show('hist-2')).provision_state, { timeout: 15_000 })
      .toBe('clean failed');
    const lastError = (await show('hist-2')).last_error as string;
    expect(lastError).toContain('no_such_step');
    // The event is written just after the node's row: wait for it.
    const errorEvent = async () =>
      (
        (await call('GET', '/v1/nodes/hist-2/history?detail=True', { minor: 78 })).body as {
          history: Json[];
        }
      ).history.find((e) => e.severity === 'ERROR');
    await expect.poll(errorEvent).toMatchObject({ event: lastError, event_type: 'cleaning' });
  });

  it('children and parent_node (1.83): set by name, listed, hidden from lists by default', async () => {
    const parent = await create({ driver: 'fake-hardware', name: 'parent-1' });
    const child = await create(
      { driver: 'fake-hardware', name: 'child-1', parent_node: 'parent-1' },
      83,
    );
    expect(child.parent_node).toBe(parent.uuid);
    const old = await call('POST', '/v1/nodes', {
      body: { driver: 'fake-hardware', parent_node: 'parent-1' },
      minor: 82,
    });
    expect(old.status).toBe(406);
    const bad = await call('POST', '/v1/nodes', {
      body: { driver: 'fake-hardware', parent_node: 'nobody' },
      minor: 83,
    });
    expect(bad.status).toBe(400);
    expect(fault(bad)).toBe(
      "Unable to apply the requested parent_node 'nobody'. Requested value was invalid.",
    );
    const children = await call('GET', '/v1/nodes/parent-1/children', { minor: 83 });
    expect(children.body).toEqual({
      children: [child.uuid],
      links: { href: `${base}/v1/nodes?parent_node=${parent.uuid as string}`, rel: 'children' },
    });
    expect((await call('GET', '/v1/nodes/parent-1/children', { minor: 82 })).status).toBe(404);
    const names = async (query: string) =>
      ((await call('GET', `/v1/nodes${query}`, { minor: 83 })).body as { nodes: Json[] }).nodes.map(
        (n) => n.name,
      );
    expect(await names('')).not.toContain('child-1');
    expect(await names('?include_children=True')).toContain('child-1');
    expect(await names(`?parent_node=${parent.uuid as string}`)).toEqual(['child-1']);
    expect((await show('child-1', 82)).parent_node).toBeUndefined();
  });

  it('shards (1.82): counts per shard, most first, None for nodes without one', async () => {
    await create({ driver: 'fake-hardware', name: 'shard-a1', shard: 'shard-a' });
    await create({ driver: 'fake-hardware', name: 'shard-a2', shard: 'shard-a' });
    await create({ driver: 'fake-hardware', name: 'shard-b1', shard: 'shard-b' });
    const shards = await call('GET', '/v1/shards', { minor: 82 });
    expect(shards.status).toBe(200);
    const list = (shards.body as { shards: { name: string; count: number }[] }).shards;
    expect(list.filter((s) => s.name.startsWith('shard-'))).toEqual([
      { name: 'shard-a', count: 2 },
      { name: 'shard-b', count: 1 },
    ]);
    expect(list.find((s) => s.name === 'None')?.count).toBeGreaterThan(0);
    expect(list.map((s) => s.count)).toEqual([...list.map((s) => s.count)].sort((a, b) => b - a));
    expect((await call('GET', '/v1/shards', { minor: 81 })).status).toBe(404);
    const sharded = await call('GET', '/v1/nodes?sharded=False&fields=name', { minor: 82 });
    expect(
      (sharded.body as { nodes: Json[] }).nodes.some((n) => String(n.name).startsWith('shard-')),
    ).toBe(false);
  });

  it('instance_name (1.104): set and shown from 1.104 only', async () => {
    await create({ driver: 'fake-hardware', name: 'inst-1', instance_name: 'web-01' }, 104);
    expect((await show('inst-1', 104)).instance_name).toBe('web-01');
    expect((await show('inst-1', 103)).instance_name).toBeUndefined();
    const names = await call('GET', '/v1/nodes?instance_name=web-01', { minor: 104 });
    expect((names.body as { nodes: Json[] }).nodes.map((n) => n.name)).toEqual(['inst-1']);
  });

  it('a node created below 1.11 starts available; at 1.11 in enroll', async () => {
    const old = await create({ driver: 'fake-hardware', name: 'old-1' }, 10);
    expect(old.provision_state).toBe('available');
    expect((await create({ driver: 'fake-hardware', name: 'new-1' }, 11)).provision_state).toBe(
      'enroll',
    );
  });

  it("retired: refused on an available node (409, Ironic's words); a retired node cannot be provided", async () => {
    const node = await create({ driver: 'fake-hardware', name: 'ret-1' }, 10);
    const refused = await call('PATCH', '/v1/nodes/ret-1', {
      body: [{ op: 'replace', path: '/retired', value: true }],
      minor: 61,
    });
    expect(refused.status).toBe(409);
    expect(fault(refused)).toBe(
      `Node ${node.uuid as string} can not have 'retired' set in provision state 'available', the current state is 'available'`,
    );
    const reasonAlone = await call('PATCH', '/v1/nodes/ret-1', {
      body: [{ op: 'replace', path: '/retired_reason', value: 'old' }],
      minor: 61,
    });
    expect(reasonAlone.status).toBe(400);
    expect(fault(reasonAlone)).toBe(
      'The retired_reason field can only be set when retired is True',
    );
    await provision('ret-1', 'manage', 'manageable');
    const retired = await call('PATCH', '/v1/nodes/ret-1', {
      body: [
        { op: 'replace', path: '/retired', value: true },
        { op: 'replace', path: '/retired_reason', value: 'end of life' },
      ],
      minor: 61,
    });
    expect(retired.status, retired.text).toBe(200);
    const provide = await call('PUT', '/v1/nodes/ret-1/states/provision', {
      body: { target: 'provide' },
    });
    expect(provide.status).toBe(400);
    expect(fault(provide)).toBe(
      `The providing operation can't be performed on node ${node.uuid as string} because it is retired.`,
    );
    const unretire = await call('PATCH', '/v1/nodes/ret-1', {
      body: [{ op: 'replace', path: '/retired', value: false }],
      minor: 61,
    });
    expect((unretire.body as Json).retired_reason).toBeNull();
  });

  it('power_state stays null through verifying with the fake power interface', async () => {
    await create({ driver: 'fake-hardware', name: 'pwr-1' });
    await provision('pwr-1', 'manage', 'manageable');
    expect((await show('pwr-1')).power_state).toBeNull();
    const on = await call('PUT', '/v1/nodes/pwr-1/states/power', { body: { target: 'power on' } });
    expect(on.status).toBe(202);
    await expect.poll(async () => (await show('pwr-1')).power_state).toBe('power on');
  });

  it('error texts clients compare: invalid UUID on create, removing a missing property', async () => {
    const badUuid = await call('POST', '/v1/nodes', {
      body: { driver: 'fake-hardware', uuid: 'not-a-uuid' },
    });
    expect(badUuid.status).toBe(400);
    expect(fault(badUuid)).toBe('Expected UUID for uuid: not-a-uuid');
    await create({ driver: 'fake-hardware', name: 'err-1' });
    const remove = await call('PATCH', '/v1/nodes/err-1', {
      body: [{ op: 'remove', path: '/properties/cpus' }],
    });
    expect(remove.status).toBe(400);
    // Ironic's PatchError: "Couldn't apply patch '<patch>'. Reason: <jsonpatch's words>".
    expect(fault(remove)).toMatch(
      /^Couldn't apply patch '.*'\. Reason: can't remove a non-existent object 'cpus'$/,
    );
  });

  it('1.91: a .json suffix is dropped below 1.91 and part of the name from 1.91', async () => {
    await create({ driver: 'fake-hardware', name: 'suffix-1' });
    const old = await call('GET', '/v1/nodes/suffix-1.json', { minor: 90 });
    expect(old.status, old.text).toBe(200);
    expect((old.body as Json).name).toBe('suffix-1');
    const now = await call('GET', '/v1/nodes/suffix-1.json', { minor: 91 });
    expect(now.status).toBe(404);
    expect(fault(now)).toBe('Node suffix-1.json could not be found.');
    await create({ driver: 'fake-hardware', name: 'dotted.json' }, 91);
    expect(((await call('GET', '/v1/nodes/dotted.json', { minor: 91 })).body as Json).name).toBe(
      'dotted.json',
    );
  });

  it('1.98: keys with ~ and / are patched through JSON pointer escapes', async () => {
    await create({ driver: 'fake-hardware', name: 'escape-1' });
    const patched = await call('PATCH', '/v1/nodes/escape-1', {
      body: [
        { op: 'add', path: '/extra/a~1b', value: 1 },
        { op: 'add', path: '/extra/c~0d', value: 2 },
      ],
      minor: 98,
    });
    expect(patched.status, patched.text).toBe(200);
    expect((patched.body as Json).extra).toEqual({ 'a/b': 1, 'c~d': 2 });
    const before = await call('PATCH', '/v1/nodes/escape-1', {
      body: [{ op: 'add', path: '/extra/e~1f', value: 3 }],
      minor: 97,
    });
    expect(before.status).toBe(400);
    expect(fault(before)).toBe(
      "Schema error for patch: '/extra/e~1f' does not match '^(/[\\\\w-]+)+$'",
    );
    const removed = await call('PATCH', '/v1/nodes/escape-1', {
      body: [{ op: 'remove', path: '/extra/a~1b' }],
      minor: 98,
    });
    expect((removed.body as Json).extra).toEqual({ 'c~d': 2 });
    // From 1.98 the field's own token is decoded too: an escaped name is still not a field.
    const field = await call('PATCH', '/v1/nodes/escape-1', {
      body: [{ op: 'add', path: '/ex~1tra', value: {} }],
      minor: 98,
    });
    expect(field.status).toBe(400);
    expect(fault(field)).toMatch(/^Cannot patch \/ex~1tra\. Only the following can be updated: /);
  });

  it('1.107: every response carries X-OpenStack-Request-Id, the same as Openstack-Request-Id', async () => {
    const result = await call('GET', '/v1/nodes', { minor: 107 });
    const id = result.headers['x-openstack-request-id'];
    expect(id).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(result.headers['openstack-request-id']).toBe(id);
    const other = await call('GET', '/v1/nodes', { minor: 107 });
    expect(other.headers['x-openstack-request-id']).not.toBe(id);
  });

  it('1.110: abort in wait call-back leaves the node in deploy failed with last_error', async () => {
    const node = await create({ driver: 'fake-hardware', name: 'abort-1' });
    // No fake deploy waits for a ramdisk: the node is put in wait call-back behind the API.
    const dataSource = createDataSource({ url: env.databaseUrl! });
    await dataSource.initialize();
    try {
      const store = new NodeStore(dataSource);
      const row = await store.getByUuid(node.uuid as string);
      await store.update(row!.id, {
        provision_state: 'wait call-back',
        target_provision_state: 'active',
        deploy_step: { interface: 'deploy', step: 'deploy', priority: 100 },
      });
    } finally {
      await dataSource.destroy();
    }
    const early = await call('PUT', '/v1/nodes/abort-1/states/provision', {
      body: { target: 'abort' },
      minor: 109,
    });
    expect(early.status).toBe(406);
    await provision('abort-1', 'abort', 'deploy failed', 110);
    await expect
      .poll(async () => (await show('abort-1')).last_error)
      .toBe(
        'By request, the deploy operation was aborted during or after the completion of step "deploy.deploy"',
      );
    expect((await show('abort-1')).deploy_step).toEqual({});
  });

  it('1.95: disable_power_off is set from 1.95, and a power off is refused (409) while reboots go on', async () => {
    const early = await call('POST', '/v1/nodes', {
      body: { driver: 'fake-hardware', disable_power_off: true },
      minor: 94,
    });
    expect(early.status).toBe(406);
    await create({ driver: 'fake-hardware', name: 'dpo-1', disable_power_off: true }, 95);
    expect((await show('dpo-1', 95)).disable_power_off).toBe(true);
    expect((await show('dpo-1', 94)).disable_power_off).toBeUndefined();
    const power = (target: string) =>
      call('PUT', '/v1/nodes/dpo-1/states/power', { body: { target }, minor: 95 });
    expect((await power('power on')).status).toBe(202);
    await expect.poll(async () => (await show('dpo-1')).power_state).toBe('power on');
    for (const target of ['power off', 'soft power off']) {
      const refused = await power(target);
      expect(refused.status, target).toBe(409);
      expect(fault(refused)).toBe(`Failed to set node power state to ${target}.`);
    }
    expect((await power('rebooting')).status).toBe(202);
    await expect.poll(async () => (await show('dpo-1')).target_power_state).toBeNull();
    expect((await show('dpo-1')).power_state).toBe('power on');
    const cleared = await call('PATCH', '/v1/nodes/dpo-1', {
      body: [{ op: 'remove', path: '/disable_power_off' }],
      minor: 95,
    });
    expect((cleared.body as Json).disable_power_off).toBe(false);
    expect((await power('power off')).status).toBe(202);
  });

  it("1.109: health derived from the BMC's answers, maintenance and faults", async () => {
    const node = await create({ driver: 'fake-hardware', name: 'health-1' });
    const health = async () => (await show('health-1', 109)).health;
    expect(await health()).toBeNull();
    expect(await show('health-1', 108)).not.toHaveProperty('health');
    await call('PUT', '/v1/nodes/health-1/states/power', { body: { target: 'power on' } });
    await expect.poll(health).toBe('OK');
    await call('PUT', '/v1/nodes/health-1/maintenance', { body: { reason: 'check' } });
    expect(await health()).toBe('Warning');
    // A fault is a conductor's (power sync giving up on the BMC): set behind the API here.
    const dataSource = createDataSource({ url: env.databaseUrl! });
    await dataSource.initialize();
    try {
      const store = new NodeStore(dataSource);
      const row = await store.getByUuid(node.uuid as string);
      await store.update(row!.id, { fault: 'power failure' });
    } finally {
      await dataSource.destroy();
    }
    expect(await health()).toBe('Critical');
    await call('DELETE', '/v1/nodes/health-1/maintenance');
    expect(await health()).toBe('OK');
  });

  it('1.86 firmware interface and /firmware, with 1.114 identity fields; an update is recorded', async () => {
    expect(
      (
        await call('POST', '/v1/nodes', {
          body: { driver: 'fake-hardware', firmware_interface: 'fake' },
          minor: 85,
        })
      ).status,
    ).toBe(406);
    const node = await create(
      { driver: 'fake-hardware', name: 'fw-1', firmware_interface: 'fake' },
      86,
    );
    expect(node.firmware_interface).toBe('fake');
    expect((await call('GET', '/v1/nodes/fw-1/firmware', { minor: 85 })).status).toBe(404);
    expect((await call('GET', '/v1/nodes/fw-1/firmware', { minor: 86 })).body).toEqual({
      firmware: [],
    });
    await provision('fw-1', 'manage', 'manageable');
    const firmware = async (minor: number, query = '') =>
      (
        (await call('GET', `/v1/nodes/fw-1/firmware${query}`, { minor })).body as {
          firmware: Json[];
        }
      ).firmware;
    await expect.poll(async () => (await firmware(86)).length).toBe(2);
    expect(await firmware(86)).toEqual([
      {
        component: 'bios',
        initial_version: '1.0.0',
        current_version: '1.0.0',
        last_version_flashed: null,
      },
      {
        component: 'bmc',
        initial_version: '1.0.0',
        current_version: '1.0.0',
        last_version_flashed: null,
      },
    ]);
    expect((await firmware(114))[1]).toMatchObject({
      component: 'bmc',
      vendor: null,
      model: 'Fake BMC',
      serial_number: null,
    });
    const early = await call('GET', '/v1/nodes/fw-1/firmware?fields=component,model', {
      minor: 113,
    });
    expect(early.status).toBe(400);
    expect(fault(early)).toBe(
      'Fields model are not allowed in this API version. They require at least API version 1.114.',
    );
    const cleaning = await call('PUT', '/v1/nodes/fw-1/states/provision', {
      body: {
        target: 'clean',
        clean_steps: [
          {
            interface: 'firmware',
            step: 'update',
            args: { settings: [{ component: 'bios', url: 'http://x/bios.bin', version: '1.1.0' }] },
          },
        ],
      },
    });
    expect(cleaning.status, cleaning.text).toBe(202);
    await expect
      .poll(async () => (await firmware(86, '?fields=component,current_version'))[0])
      .toEqual({ component: 'bios', current_version: '1.1.0' });
    expect((await firmware(86))[0]).toEqual({
      component: 'bios',
      initial_version: '1.0.0',
      current_version: '1.1.0',
      last_version_flashed: '1.1.0',
    });
  });
});
