import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  innerError,
  startTestKeystone,
  type HttpResult,
  type InProcessEnvironment,
  type TestKeystone,
} from '@galvanic/testing';
import {
  KEYSTONE_PASSWORD,
  keystoneCli,
  keystoneEnvironment,
  SERVICE_USER,
} from './keystone-setup';

const PASSWORD = KEYSTONE_PASSWORD;

type Allocation = { uuid: string; state: string; owner: string | null; node_uuid: string | null };

/**
 * Ironic's policy for allocations, deploy templates and volume resources in keystone mode, with
 * the Keystone-compatible test service, the real CLI and a conductor that processes allocations.
 */
describe('auth_strategy = keystone: allocations, deploy templates and volume by project', () => {
  let env: InProcessEnvironment;
  let keystone: TestKeystone;
  let projA: string;
  let projB: string;
  let nodeA: string;
  let nodeB: string;

  const as = async (user: string, scope: { project: string } | 'system') =>
    keystone.tokenFor(user, scope);
  const call = (token: string, method: string, path: string, minor: number, body?: unknown) =>
    apiRequest(env.apiUrl, method, path, { minor, headers: { 'X-Auth-Token': token }, body });
  const fault = (result: HttpResult) => innerError(result.body).faultstring;
  const cli = (user: string, project: string, ...args: string[]) =>
    keystoneCli(keystone, env.apiUrl, '1.60')(user, { project }, ...args);

  /** Takes a node through manage (and provide) as the operator. */
  const moveTo = async (node: string, targets: string[], state: string) => {
    const operator = await as('operator', 'system');
    // Allocations take only nodes with a known power state; fake power reports none until set.
    const off = await call(operator, 'PUT', `/v1/nodes/${node}/states/power`, 60, {
      target: 'power off',
    });
    expect(off.status, off.text).toBe(202);
    await expect
      .poll(
        async () =>
          ((await call(operator, 'GET', `/v1/nodes/${node}`, 60)).body as Record<string, unknown>)
            .power_state,
        { timeout: 60_000, interval: 200 },
      )
      .toBe('power off');
    for (const target of targets) {
      const moved = await call(operator, 'PUT', `/v1/nodes/${node}/states/provision`, 60, {
        target,
      });
      expect(moved.status, moved.text).toBe(202);
      const settled = target === 'manage' ? 'manageable' : 'available';
      await expect
        .poll(
          async () =>
            ((await call(operator, 'GET', `/v1/nodes/${node}`, 60)).body as Record<string, unknown>)
              .provision_state,
          { timeout: 60_000, interval: 200 },
        )
        .toBe(settled);
    }
    const shown = await call(operator, 'GET', `/v1/nodes/${node}`, 60);
    expect((shown.body as { provision_state: string }).provision_state).toBe(state);
  };

  const settledAllocation = async (token: string, uuid: string): Promise<Allocation> => {
    await expect
      .poll(
        async () =>
          ((await call(token, 'GET', `/v1/allocations/${uuid}`, 60)).body as Allocation).state,
        { timeout: 60_000, interval: 200 },
      )
      .not.toBe('allocating');
    return (await call(token, 'GET', `/v1/allocations/${uuid}`, 60)).body as Allocation;
  };

  beforeAll(async () => {
    keystone = await startTestKeystone({
      users: [
        SERVICE_USER,
        { name: 'operator', password: PASSWORD, system: ['admin'] },
        { name: 'alice', password: PASSWORD, projects: { projA: ['member'] } },
        { name: 'pam', password: PASSWORD, projects: { projA: ['admin'] } },
        { name: 'bob', password: PASSWORD, projects: { projB: ['member'] } },
      ],
    });
    env = await keystoneEnvironment(keystone);
    projA = keystone.projectId('projA');
    projB = keystone.projectId('projB');
    const operator = await as('operator', 'system');
    const create = async (name: string, owner: string) => {
      const created = await call(operator, 'POST', '/v1/nodes', 60, {
        driver: 'fake-hardware',
        name,
        owner,
        resource_class: 'gold',
      });
      expect(created.status, created.text).toBe(201);
      return (created.body as { uuid: string }).uuid;
    };
    nodeA = await create('node-a', projA);
    nodeB = await create('node-b', projB);
  }, 240_000);

  afterAll(async () => {
    await env?.teardown();
    await keystone?.stop();
  });

  it("keeps project A from listing, seeing, changing or deleting project B's allocations", async () => {
    const bob = await as('bob', { project: 'projB' });
    // Silver matches no node: the allocation stays, in error, owned by B.
    const created = await call(bob, 'POST', '/v1/allocations', 60, {
      name: 'alloc-of-b',
      resource_class: 'silver',
    });
    expect(created.status, created.text).toBe(201);
    const ofB = created.body as Allocation;
    expect(ofB.owner).toBe(projB);

    const alice = await as('alice', { project: 'projA' });
    const listed = await call(alice, 'GET', '/v1/allocations', 60);
    expect(listed.status, listed.text).toBe(200);
    expect((listed.body as { allocations: Allocation[] }).allocations).toEqual([]);
    const bobs = await call(bob, 'GET', '/v1/allocations', 60);
    expect((bobs.body as { allocations: Allocation[] }).allocations.map((a) => a.uuid)).toEqual([
      ofB.uuid,
    ]);
    const foreignFilter = await call(alice, 'GET', `/v1/allocations?owner=${projB}`, 60);
    expect(foreignFilter.status).toBe(403);
    expect(fault(foreignFilter)).toBe(
      'Access was denied to the following resource: baremetal:allocation:list_all',
    );
    for (const ident of [ofB.uuid, 'alloc-of-b']) {
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', [{ op: 'add', path: '/extra/x', value: 'y' }]],
        ['DELETE', undefined],
      ] as const) {
        const hidden = await call(alice, method, `/v1/allocations/${ident}`, 60, body);
        expect(hidden.status, `${method} ${ident} ${hidden.text}`).toBe(404);
        expect(fault(hidden)).toBe(`Allocation ${ident} could not be found.`);
      }
    }
    // The CLI shows and deletes nothing of B's either.
    const shown = await cli('alice', 'projA', 'allocation', 'show', 'alloc-of-b');
    expect(shown.code).not.toBe(0);
    expect(shown.stderr).toMatch(/could not be found/);
    // The operator sees every allocation; B still has its own.
    const operator = await as('operator', 'system');
    const all = await call(operator, 'GET', '/v1/allocations', 60);
    expect((all.body as { allocations: Allocation[] }).allocations.map((a) => a.uuid)).toContain(
      ofB.uuid,
    );
    expect((await call(bob, 'GET', `/v1/allocations/${ofB.uuid}`, 60)).status).toBe(200);
    const removed = await call(bob, 'DELETE', `/v1/allocations/${ofB.uuid}`, 60);
    expect(removed.status, removed.text).toBe(204);
  }, 180_000);

  it("gives a member's allocation its project as owner and only its project's nodes as candidates", async () => {
    const alice = await as('alice', { project: 'projA' });
    // Naming another project as owner takes create_restricted.
    const foreign = await call(alice, 'POST', '/v1/allocations', 60, {
      resource_class: 'gold',
      owner: projB,
    });
    expect(foreign.status).toBe(403);
    expect(fault(foreign)).toBe(
      `Cannot create allocation with an owner Project ID value ${projB} not matching the ` +
        `requester Project ID ${projA}. Policy baremetal:allocation:create_restricted is ` +
        'required for this capability.',
    );
    // B's node is no candidate for A: it "cannot be found".
    const candidate = await call(alice, 'POST', '/v1/allocations', 60, {
      resource_class: 'gold',
      candidate_nodes: ['node-b'],
    });
    expect(candidate.status).toBe(400);
    expect(fault(candidate)).toBe('Nodes cannot be found: node-b');

    // Only B's node is available: A's allocation must not take it.
    await moveTo('node-b', ['manage', 'provide'], 'available');
    await moveTo('node-a', ['manage'], 'manageable');
    const first = await call(alice, 'POST', '/v1/allocations', 60, { resource_class: 'gold' });
    expect(first.status, first.text).toBe(201);
    expect((first.body as Allocation).owner).toBe(projA);
    const failed = await settledAllocation(alice, (first.body as Allocation).uuid);
    expect(failed).toMatchObject({ state: 'error', node_uuid: null, owner: projA });
    const operator = await as('operator', 'system');
    const untouched = await call(operator, 'GET', '/v1/nodes/node-b', 60);
    expect((untouched.body as { allocation_uuid: string | null }).allocation_uuid).toBeNull();

    // Once A's own node is available it is the one taken, through the real CLI.
    await moveTo('node-a', ['provide'], 'available');
    const made = await cli(
      'alice',
      'projA',
      'allocation',
      'create',
      '--resource-class',
      'gold',
      '--name',
      'alloc-of-a',
      '-f',
      'json',
    );
    expect(made.code, made.stderr).toBe(0);
    const ofA = JSON.parse(made.stdout) as Allocation;
    expect(ofA.owner).toBe(projA);
    const active = await settledAllocation(alice, ofA.uuid);
    expect(active).toMatchObject({ state: 'active', node_uuid: nodeA, owner: projA });
    // A sees its node's allocation; B's node (and its allocation) stay hidden from A.
    const mine = await call(alice, 'GET', '/v1/nodes/node-a/allocation', 60);
    expect(mine.status, mine.text).toBe(200);
    expect((mine.body as Allocation).uuid).toBe(ofA.uuid);
    const hidden = await call(alice, 'GET', `/v1/nodes/${nodeB}/allocation`, 60);
    expect(hidden.status).toBe(404);
    const hiddenDelete = await call(alice, 'DELETE', `/v1/nodes/${nodeB}/allocation`, 60);
    expect(hiddenDelete.status).toBe(404);
    expect(fault(hiddenDelete)).toBe(`Node ${nodeB} could not be found.`);
    const listed = await call(alice, 'GET', '/v1/allocations', 60);
    expect((listed.body as { allocations: Allocation[] }).allocations.map((a) => a.owner)).toEqual([
      projA,
      projA,
    ]);
  }, 300_000);

  it("refuses deploy templates to project-scoped users with Ironic's 403", async () => {
    const operator = await as('operator', 'system');
    const template = {
      name: 'CUSTOM_HYPERTHREADING_ON',
      steps: [
        {
          interface: 'bios',
          step: 'apply_configuration',
          args: { settings: [{ name: 'LogicalProc', value: 'Enabled' }] },
          priority: 150,
        },
      ],
    };
    const created = await call(operator, 'POST', '/v1/deploy_templates', 55, template);
    expect(created.status, created.text).toBe(201);
    const uuid = (created.body as { uuid: string }).uuid;
    for (const user of ['alice', 'pam']) {
      const token = await as(user, { project: 'projA' });
      for (const [method, path, rule, body] of [
        ['GET', '/v1/deploy_templates', 'get', undefined],
        ['GET', `/v1/deploy_templates/${uuid}`, 'get', undefined],
        ['POST', '/v1/deploy_templates', 'create', { ...template, name: 'CUSTOM_OTHER' }],
        [
          'PATCH',
          `/v1/deploy_templates/${uuid}`,
          'update',
          [{ op: 'add', path: '/extra/a', value: 'b' }],
        ],
        ['DELETE', `/v1/deploy_templates/${uuid}`, 'delete', undefined],
      ] as const) {
        const refused = await call(token, method, path, 55, body);
        expect(refused.status, `${user} ${method} ${path}`).toBe(403);
        expect(fault(refused)).toBe(
          `Access was denied to the following resource: baremetal:deploy_template:${rule}`,
        );
      }
    }
    const listed = await call(operator, 'GET', '/v1/deploy_templates', 55);
    expect(listed.status).toBe(200);
    expect((listed.body as { deploy_templates: { uuid: string }[] }).deploy_templates).toEqual([
      expect.objectContaining({ uuid }),
    ]);
  }, 120_000);

  it("refuses inspection rules to project-scoped users with Ironic's 403", async () => {
    const operator = await as('operator', 'system');
    const rule = { actions: [{ op: 'add-trait', args: { name: 'CUSTOM_INSPECTED' } }] };
    const created = await call(operator, 'POST', '/v1/inspection_rules', 96, rule);
    expect(created.status, created.text).toBe(201);
    const uuid = (created.body as { uuid: string }).uuid;
    const token = await as('alice', { project: 'projA' });
    for (const [method, path, action, body] of [
      ['GET', '/v1/inspection_rules', 'get', undefined],
      ['GET', `/v1/inspection_rules/${uuid}`, 'get', undefined],
      ['POST', '/v1/inspection_rules', 'create', rule],
      [
        'PATCH',
        `/v1/inspection_rules/${uuid}`,
        'update',
        [{ op: 'replace', path: '/priority', value: 5 }],
      ],
      ['DELETE', `/v1/inspection_rules/${uuid}`, 'delete', undefined],
    ] as const) {
      const refused = await call(token, method, path, 96, body);
      expect(refused.status, `${method} ${path}`).toBe(403);
      expect(fault(refused)).toBe(
        `Access was denied to the following resource: baremetal:inspection_rule:${action}`,
      );
    }
    expect((await call(operator, 'DELETE', `/v1/inspection_rules/${uuid}`, 96)).status).toBe(204);
  }, 120_000);

  it("hides project B's volume connectors and targets from project A", async () => {
    const operator = await as('operator', 'system');
    const connector = async (node: string, connectorId: string) => {
      const created = await call(operator, 'POST', '/v1/volume/connectors', 32, {
        node_uuid: node,
        type: 'iqn',
        connector_id: connectorId,
      });
      expect(created.status, created.text).toBe(201);
      return (created.body as { uuid: string }).uuid;
    };
    const ofA = await connector(nodeA, 'iqn.2026-01.org.example:a');
    const ofB = await connector(nodeB, 'iqn.2026-01.org.example:b');
    const target = await call(operator, 'POST', '/v1/volume/targets', 32, {
      node_uuid: nodeA,
      volume_type: 'iscsi',
      boot_index: 0,
      volume_id: 'vol-a',
      properties: { auth_password: 'chap-secret' },
    });
    expect(target.status, target.text).toBe(201);

    const alice = await as('alice', { project: 'projA' });
    const listed = await call(alice, 'GET', '/v1/volume/connectors', 32);
    expect(listed.status, listed.text).toBe(200);
    expect(
      (listed.body as { connectors: { uuid: string }[] }).connectors.map((c) => c.uuid),
    ).toEqual([ofA]);
    const viaCli = await cli('alice', 'projA', 'volume', 'connector', 'list', '-f', 'json');
    expect(viaCli.code, viaCli.stderr).toBe(0);
    expect((JSON.parse(viaCli.stdout) as { UUID: string }[]).map((c) => c.UUID)).toEqual([ofA]);
    for (const method of ['GET', 'DELETE']) {
      const hidden = await call(alice, method, `/v1/volume/connectors/${ofB}`, 32);
      expect(hidden.status, `${method} ${hidden.text}`).toBe(404);
      expect(fault(hidden)).toBe(`Volume connector ${ofB} could not be found.`);
    }
    const byNode = await call(alice, 'GET', `/v1/nodes/${nodeB}/volume/connectors`, 32);
    expect(byNode.status).toBe(404);
    expect(fault(byNode)).toBe(`Node ${nodeB} could not be found.`);
    // A member may see its own node's connector but not remove it (owner admins may).
    expect((await call(alice, 'GET', `/v1/volume/connectors/${ofA}`, 32)).status).toBe(200);
    const memberDelete = await call(alice, 'DELETE', `/v1/volume/connectors/${ofA}`, 32);
    expect(memberDelete.status).toBe(403);
    expect(fault(memberDelete)).toBe(
      'Access was denied to the following resource: baremetal:volume:delete',
    );
    // Target properties are redacted to a member, shown to the operator.
    const targets = await call(alice, 'GET', '/v1/volume/targets?detail=True', 32);
    expect(targets.status, targets.text).toBe(200);
    expect((targets.body as { targets: { properties: unknown }[] }).targets).toEqual([
      expect.objectContaining({
        properties: {
          redacted_contents:
            '** Value redacted: Requires permission baremetal:volume:view_target_properties ' +
            'access. Permission denied. **',
        },
      }),
    ]);
    const operatorView = await call(operator, 'GET', '/v1/volume/targets?detail=True', 32);
    expect((operatorView.body as { targets: { properties: unknown }[] }).targets).toEqual([
      expect.objectContaining({ properties: { auth_password: 'chap-secret' } }),
    ]);
    // B's own member sees B's connector.
    const bob = await as('bob', { project: 'projB' });
    const bobs = await call(bob, 'GET', '/v1/volume/connectors', 32);
    expect((bobs.body as { connectors: { uuid: string }[] }).connectors.map((c) => c.uuid)).toEqual(
      [ofB],
    );
  }, 120_000);
});
