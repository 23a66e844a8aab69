import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  baremetal,
  baremetalQuiet,
  createSplit,
  openstacksdk,
  queryDatabase,
  type ApiRequestOptions,
  type SplitEnvironment,
} from '@galvanic/testing';

type Allocation = Record<string, unknown> & { uuid: string; state: string };

const NODES = 50;

/**
 * Allocations in split mode: an api and two conductors over the real broker, each allocation
 * processed by whichever conductor the api picked, all racing for the same nodes.
 */
describe('allocations over two conductors (split mode)', () => {
  let env: SplitEnvironment;
  let base: string;
  const call = (method: string, path: string, options: ApiRequestOptions = {}) =>
    apiRequest(base, method, path, { minor: 60, ...options });
  const sql = <R extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    queryDatabase<R>(env.databaseUrl!, text, params);
  const stateOf = async (name: string) =>
    ((await call('GET', `/v1/nodes/${name}`)).body as { provision_state: string }).provision_state;

  /** Waits for a node's provision state (a plain loop: this runs in beforeAll too). */
  const provision = async (name: string, target: string, wanted: string) => {
    const moved = await call('PUT', `/v1/nodes/${name}/states/provision`, { body: { target } });
    expect(moved.status, moved.text).toBe(202);
    const deadline = Date.now() + 120_000;
    let state = await stateOf(name);
    while (state !== wanted) {
      if (Date.now() > deadline) throw new Error(`${name} stayed in ${state}, not ${wanted}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      state = await stateOf(name);
    }
  };

  const availableNode = async (name: string, resourceClass: string) => {
    const created = await call('POST', '/v1/nodes', {
      body: { driver: 'fake-hardware', name, resource_class: resourceClass },
    });
    expect(created.status, created.text).toBe(201);
    // Allocations take only nodes with a known power state, and fake power reports none until set.
    const off = await call('PUT', `/v1/nodes/${name}/states/power`, {
      body: { target: 'power off' },
    });
    expect(off.status, off.text).toBe(202);
    const deadline = Date.now() + 60_000;
    const powerOf = async () =>
      ((await call('GET', `/v1/nodes/${name}`)).body as { power_state: unknown }).power_state;
    while ((await powerOf()) !== 'power off') {
      if (Date.now() > deadline) throw new Error(`${name} did not report power off`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await provision(name, 'manage', 'manageable');
    await provision(name, 'provide', 'available');
  };

  const settled = async (uuid: string): Promise<Allocation> => {
    let shown: Allocation | undefined;
    await expect
      .poll(
        async () => {
          shown = (await call('GET', `/v1/allocations/${uuid}`)).body as Allocation;
          return shown.state;
        },
        { timeout: 120_000, interval: 250 },
      )
      .not.toBe('allocating');
    return shown!;
  };

  beforeAll(async () => {
    // Orphaned allocations are looked for every second (Ironic's check_allocations_interval).
    env = await createSplit({ env: { GALVANIC_CONDUCTOR__CHECK_ALLOCATIONS_INTERVAL: '1' } });
    base = env.apiUrl;
    for (let start = 0; start < NODES; start += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, NODES - start) }, (_, i) =>
          availableNode(`race-${start + i}`, 'race'),
        ),
      );
    }
  }, 600_000);

  afterAll(async () => {
    await env?.teardown();
  });

  it(`${NODES} allocations at once for ${NODES} nodes: every one gets a node, no node twice`, async () => {
    const created = await Promise.all(
      Array.from({ length: NODES }, async (_, i) => {
        const result = await call('POST', '/v1/allocations', {
          body: { resource_class: 'race', name: `race-allocation-${i}` },
        });
        expect(result.status, result.text).toBe(201);
        return result.body as Allocation;
      }),
    );
    const done = await Promise.all(created.map((allocation) => settled(allocation.uuid)));
    expect(done.filter((a) => a.state !== 'active').map((a) => a.last_error)).toEqual([]);
    const nodes = done.map((a) => a.node_uuid);
    expect(new Set(nodes).size).toBe(NODES);

    // Behind the API: each node carries exactly the allocation that names it, and both
    // conductors took part.
    const rows = await sql<{ node: string; instance_uuid: string; allocation: string }>(
      `SELECT n.uuid AS node, n.instance_uuid::text, a.uuid::text AS allocation
       FROM nodes n JOIN allocations a ON a.id = n.allocation_id WHERE n.resource_class = 'race'`,
    );
    expect(rows).toHaveLength(NODES);
    for (const row of rows) {
      expect(row.instance_uuid).toBe(row.allocation);
      expect(done.find((a) => a.uuid === row.allocation)?.node_uuid).toBe(row.node);
    }
    const conductors = await sql<{ conductor_affinity: string }>(
      'SELECT DISTINCT conductor_affinity FROM allocations ORDER BY 1',
    );
    expect(conductors.map((c) => c.conductor_affinity)).toEqual(['c1', 'c2']);

    // Nothing is left for one more.
    const extra = await call('POST', '/v1/allocations', { body: { resource_class: 'race' } });
    const failed = await settled((extra.body as Allocation).uuid);
    expect(failed.last_error).toBe(
      `Failed to process allocation ${failed.uuid}: no available nodes match the resource class race.`,
    );
    await call('DELETE', `/v1/allocations/${failed.uuid}`);

    // Deleting them all at once frees every node.
    const deleted = await Promise.all(done.map((a) => call('DELETE', `/v1/allocations/${a.uuid}`)));
    expect(deleted.map((r) => r.status)).toEqual(done.map(() => 204));
    const held = await sql(
      "SELECT uuid FROM nodes WHERE resource_class = 'race' AND (allocation_id IS NOT NULL OR instance_uuid IS NOT NULL)",
    );
    expect(held).toEqual([]);
  }, 300_000);

  it(`${NODES + 10} allocations at once for ${NODES} nodes: ${NODES} get one node each, the rest fail in Ironic's words`, async () => {
    const created = await Promise.all(
      Array.from({ length: NODES + 10 }, async () => {
        const result = await call('POST', '/v1/allocations', { body: { resource_class: 'race' } });
        expect(result.status, result.text).toBe(201);
        return result.body as Allocation;
      }),
    );
    const done = await Promise.all(created.map((allocation) => settled(allocation.uuid)));
    const active = done.filter((a) => a.state === 'active');
    const failed = done.filter((a) => a.state === 'error');
    expect(active).toHaveLength(NODES);
    expect(new Set(active.map((a) => a.node_uuid)).size).toBe(NODES);
    expect(failed).toHaveLength(10);
    for (const allocation of failed) {
      expect(allocation.node_uuid).toBeNull();
      // Which words depends on when it looked: no node left, or every one it tried was taken.
      expect(allocation.last_error).toMatch(
        new RegExp(
          `^Failed to process allocation ${allocation.uuid}: (no available nodes match the resource class race|all nodes were filtered out during reservation|could not reserve any of \\d+ suitable nodes)\\.$`,
        ),
      );
    }
    const deleted = await Promise.all(done.map((a) => call('DELETE', `/v1/allocations/${a.uuid}`)));
    expect(deleted.map((r) => r.status)).toEqual(done.map(() => 204));
  }, 300_000);

  it('baremetal allocation create/list/show/set/unset/delete', async () => {
    const created = (await baremetal(
      base,
      'allocation',
      'create',
      '--resource-class',
      'race',
      '--name',
      'cli-allocation',
      '--extra',
      'purpose=test',
      '--wait',
      '60',
    )) as Allocation;
    expect(created).toMatchObject({
      name: 'cli-allocation',
      state: 'active',
      resource_class: 'race',
    });
    const nodeUuid = created.node_uuid as string;
    expect(nodeUuid).toMatch(/^[0-9a-f-]{36}$/);

    const listed = (await baremetal(base, 'allocation', 'list', '--node', nodeUuid)) as Record<
      string,
      unknown
    >[];
    expect(listed.map((a) => a.UUID)).toEqual([created.uuid]);
    const shown = (await baremetal(base, 'allocation', 'show', 'cli-allocation')) as Allocation;
    expect(shown).toMatchObject({
      uuid: created.uuid,
      node_uuid: nodeUuid,
      extra: { purpose: 'test' },
    });

    await baremetalQuiet(
      base,
      'allocation',
      'set',
      'cli-allocation',
      '--name',
      'cli-renamed',
      '--extra',
      'more=1',
    );
    await baremetalQuiet(base, 'allocation', 'unset', 'cli-renamed', '--extra', 'purpose');
    const changed = (await baremetal(base, 'allocation', 'show', created.uuid)) as Allocation;
    // The CLI sends `more=1` as JSON, so the value is a number.
    expect(changed).toMatchObject({ name: 'cli-renamed', extra: { more: 1 } });

    const node = (await baremetal(base, 'node', 'show', nodeUuid)) as Record<string, unknown>;
    expect(node).toMatchObject({ allocation_uuid: created.uuid, instance_uuid: created.uuid });

    await baremetalQuiet(base, 'allocation', 'delete', 'cli-renamed');
    const after = (await baremetal(base, 'node', 'show', nodeUuid)) as Record<string, unknown>;
    expect(after).toMatchObject({ allocation_uuid: null, instance_uuid: null });
    await expect(baremetalQuiet(base, 'allocation', 'show', created.uuid)).rejects.toThrow(
      /could not be found/,
    );

    // A failed one, as the CLI reports it.
    await expect(
      baremetalQuiet(base, 'allocation', 'create', '--resource-class', 'absent', '--wait', '60'),
    ).rejects.toThrow(/no available nodes match the resource class absent/);
  }, 120_000);

  it('baremetal deploy template create/list/show/set/unset/delete', async () => {
    const steps = JSON.stringify([
      {
        interface: 'bios',
        step: 'apply_configuration',
        args: { settings: [{ name: 'LogicalProc', value: 'Enabled' }] },
        priority: 150,
      },
    ]);
    const created = (await baremetal(
      base,
      'deploy',
      'template',
      'create',
      'CUSTOM_HYPERTHREADING_ON',
      '--steps',
      steps,
      '--extra',
      'team=ops',
    )) as Record<string, unknown>;
    expect(created).toMatchObject({
      name: 'CUSTOM_HYPERTHREADING_ON',
      steps: JSON.parse(steps) as unknown,
      extra: { team: 'ops' },
    });
    const listed = (await baremetal(base, 'deploy', 'template', 'list')) as Record<
      string,
      unknown
    >[];
    expect(listed).toEqual([{ UUID: created.uuid, Name: 'CUSTOM_HYPERTHREADING_ON' }]);
    await baremetalQuiet(
      base,
      'deploy',
      'template',
      'set',
      'CUSTOM_HYPERTHREADING_ON',
      '--name',
      'CUSTOM_HT_ON',
      '--extra',
      'ticket=42',
    );
    await baremetalQuiet(base, 'deploy', 'template', 'unset', 'CUSTOM_HT_ON', '--extra', 'team');
    const shown = (await baremetal(base, 'deploy', 'template', 'show', 'CUSTOM_HT_ON')) as Record<
      string,
      unknown
    >;
    expect(shown).toMatchObject({
      uuid: created.uuid,
      name: 'CUSTOM_HT_ON',
      extra: { ticket: 42 },
    });
    await expect(
      baremetalQuiet(base, 'deploy', 'template', 'create', 'lowercase', '--steps', steps),
    ).rejects.toThrow(/is not valid under any of the given schemas/);
    await baremetalQuiet(base, 'deploy', 'template', 'delete', 'CUSTOM_HT_ON');
    expect(await baremetal(base, 'deploy', 'template', 'list')).toEqual([]);
  }, 120_000);

  it('openstacksdk allocates, renames and deletes an allocation, and manages a deploy template', async () => {
    const result = (await openstacksdk(
      base,
      `
allocation = conn.baremetal.create_allocation(resource_class='race', name='sdk-allocation',
                                              traits=[])
allocation = conn.baremetal.wait_for_allocation(allocation, timeout=60)
node = conn.baremetal.get_node(allocation.node_id)
listed = [a.id for a in conn.baremetal.allocations(node=node.id)]
renamed = conn.baremetal.update_allocation(allocation, name='sdk-renamed')
conn.baremetal.delete_allocation('sdk-renamed')
freed = conn.baremetal.get_node(node.id)
missing = None
try:
    conn.baremetal.create_allocation(resource_class='absent')
    conn.baremetal.wait_for_allocation(conn.baremetal.allocations(resource_class='absent').__next__(), timeout=60)
except exc.SDKException as error:
    missing = str(error)
template = conn.baremetal.create_deploy_template(
    name='CUSTOM_SDK', steps=[{'interface': 'deploy', 'step': 'deploy', 'args': {}, 'priority': 90}])
templates = [t.name for t in conn.baremetal.deploy_templates()]
conn.baremetal.delete_deploy_template(template)
result = {
    'state': allocation.state,
    'node_instance': node.instance_id == allocation.id,
    'node_allocation': node.allocation_id == allocation.id,
    'listed': listed == [allocation.id],
    'renamed': renamed.name,
    'freed': [freed.instance_id, freed.allocation_id],
    'missing': missing,
    'templates': templates,
}
`,
    )) as Record<string, unknown>;
    expect(result).toMatchObject({
      state: 'active',
      node_instance: true,
      node_allocation: true,
      listed: true,
      renamed: 'sdk-renamed',
      freed: [null, null],
      templates: ['CUSTOM_SDK'],
    });
    expect(result.missing).toMatch(/no available nodes match the resource class absent/);
  }, 120_000);

  it('an allocation left allocating by a conductor that is gone is taken over by a live one', async () => {
    // As a conductor that died after the api handed it the allocation would leave it.
    const [orphan] = await sql<{ uuid: string }>(
      `INSERT INTO allocations (uuid, state, resource_class, conductor_affinity)
       VALUES (gen_random_uuid(), 'allocating', 'race', 'dead-conductor') RETURNING uuid::text`,
    );
    const done = await settled(orphan!.uuid);
    expect(done).toMatchObject({ state: 'active', last_error: null });
    const [row] = await sql<{ conductor_affinity: string }>(
      'SELECT conductor_affinity FROM allocations WHERE uuid = $1',
      [orphan!.uuid],
    );
    expect(['c1', 'c2']).toContain(row!.conductor_affinity);
  }, 120_000);
});
