import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  innerError,
  startTestKeystone,
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

/**
 * Keystone mode against a Keystone-compatible token service written from Keystone's api-ref
 * (@galvanic/testing's TestKeystone; Debian's keystone is not run here), with the real CLI.
 */
describe('auth_strategy = keystone with Ironic policy: owner and lessee isolation', () => {
  let env: InProcessEnvironment;
  let keystone: TestKeystone;
  let folder: string;
  let policyFile: string;
  let nodeA: string;
  let nodeB: string;

  const cli: ReturnType<typeof keystoneCli> = (user, scope, ...args) =>
    keystoneCli(keystone, env.apiUrl, '1.82')(user, scope, ...args);
  const json = async (run: Promise<{ code: number; stdout: string; stderr: string }>) => {
    const result = await run;
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as unknown;
  };
  const asToken = (token: string, method: string, path: string, body?: unknown) =>
    apiRequest(env.apiUrl, method, path, { headers: { 'X-Auth-Token': token }, body });

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'galvanic-keystone-'));
    policyFile = join(folder, 'policy.yaml');
    writeFileSync(policyFile, '# no overrides yet\n');
    keystone = await startTestKeystone({
      users: [
        SERVICE_USER,
        { name: 'operator', password: PASSWORD, system: ['admin'] },
        { name: 'alice', password: PASSWORD, projects: { projA: ['member'] } },
        { name: 'pam', password: PASSWORD, projects: { projA: ['admin'] } },
        { name: 'bob', password: PASSWORD, projects: { projB: ['member'] } },
        { name: 'lena', password: PASSWORD, projects: { projL: ['member'] } },
      ],
    });
    env = await keystoneEnvironment(keystone, {
      GALVANIC_KEYSTONE_AUTHTOKEN__TOKEN_CACHE_TIME: '2',
      GALVANIC_OSLO_POLICY__POLICY_FILE: policyFile,
    });
    const operator = await keystone.tokenFor('operator', 'system');
    const create = async (name: string, owner: string, lessee?: string) => {
      const body = {
        driver: 'fake-hardware',
        name,
        owner,
        lessee,
        driver_info: { ipmi_password: 's3cret' },
      };
      const created = await asToken(operator, 'POST', '/v1/nodes', body);
      expect(created.status, created.text).toBe(201);
      return (created.body as { uuid: string }).uuid;
    };
    nodeA = await create('node-a', keystone.projectId('projA'), keystone.projectId('projL'));
    nodeB = await create('node-b', keystone.projectId('projB'));
    for (const [node, address] of [
      [nodeA, '52:54:00:aa:00:01'],
      [nodeB, '52:54:00:bb:00:01'],
    ] as const) {
      const port = await asToken(operator, 'POST', '/v1/ports', { node_uuid: node, address });
      expect(port.status, port.text).toBe(201);
    }
  }, 240_000);

  afterAll(async () => {
    await env?.teardown();
    await keystone?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('refuses a request without a valid token with keystonemiddleware 401', async () => {
    const anonymous = await apiRequest(env.apiUrl, 'GET', '/v1/nodes');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe(`Keystone uri="${keystone.url}"`);
    expect(anonymous.body).toEqual({
      error: {
        code: 401,
        title: 'Unauthorized',
        message: 'The request you have made requires authentication.',
      },
    });
    expect((await asToken('garbage', 'GET', '/v1/nodes')).status).toBe(401);
    expect((await apiRequest(env.apiUrl, 'GET', '/v1')).status).toBe(200);
  });

  it('shows a project only the nodes and ports it owns or leases', async () => {
    const names = (rows: unknown) => (rows as { Name: string }[]).map((n) => n.Name).sort();
    expect(names(await json(cli('operator', 'system', 'node', 'list', '-f', 'json')))).toEqual([
      'node-a',
      'node-b',
    ]);
    expect(
      names(await json(cli('alice', { project: 'projA' }, 'node', 'list', '-f', 'json'))),
    ).toEqual(['node-a']);
    expect(
      names(await json(cli('bob', { project: 'projB' }, 'node', 'list', '-f', 'json'))),
    ).toEqual(['node-b']);
    expect(
      names(await json(cli('lena', { project: 'projL' }, 'node', 'list', '-f', 'json'))),
    ).toEqual(['node-a']);
    const ports = (await json(
      cli('alice', { project: 'projA' }, 'port', 'list', '-f', 'json'),
    )) as {
      Address: string;
    }[];
    expect(ports.map((p) => p.Address)).toEqual(['52:54:00:aa:00:01']);
    // Asking for another project's nodes by filter is refused outright, as in Ironic.
    const token = await keystone.tokenFor('alice', { project: 'projA' });
    const other = await asToken(token, 'GET', `/v1/nodes?owner=${keystone.projectId('projB')}`);
    expect(other.status).toBe(403);
    expect(innerError(other.body).faultstring).toBe(
      'Access was denied to the following resource: baremetal:node:list_all',
    );
  }, 120_000);

  it('applies the same isolation to port groups, listed in SQL and hidden by name', async () => {
    const operator = await keystone.tokenFor('operator', 'system');
    for (const [node, name] of [
      [nodeA, 'group-a'],
      [nodeB, 'group-b'],
    ] as const) {
      const group = await asToken(operator, 'POST', '/v1/portgroups', { node_uuid: node, name });
      expect(group.status, group.text).toBe(201);
    }
    const groups = (await json(
      cli('alice', { project: 'projA' }, 'port', 'group', 'list', '-f', 'json'),
    )) as { Name: string }[];
    expect(groups.map((g) => g.Name)).toEqual(['group-a']);
    const alice = await keystone.tokenFor('alice', { project: 'projA' });
    const hidden = await asToken(alice, 'GET', '/v1/portgroups/group-b');
    expect(hidden.status).toBe(404);
    expect(innerError(hidden.body).faultstring).toBe('Portgroup group-b could not be found.');
    expect((await asToken(alice, 'GET', `/v1/nodes/${nodeB}/portgroups`)).status).toBe(404);
    // Creating one takes an owner admin: a member is refused on its own node and on another's.
    for (const node of [nodeA, nodeB]) {
      const refused = await asToken(alice, 'POST', '/v1/portgroups', { node_uuid: node });
      expect(refused.status).toBe(403);
      expect(innerError(refused.body).faultstring).toBe(
        'Access was denied to the following resource: baremetal:portgroup:create',
      );
    }
  }, 120_000);

  it("keeps project A from seeing, powering or deleting project B's node (404, as Ironic hides it)", async () => {
    for (const args of [
      ['node', 'show', 'node-b'],
      ['node', 'power', 'off', 'node-b'],
      ['node', 'delete', 'node-b'],
    ]) {
      const result = await cli('alice', { project: 'projA' }, ...args);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr).toMatch(/could not be found/);
    }
    const token = await keystone.tokenFor('alice', { project: 'projA' });
    const power = await asToken(token, 'PUT', `/v1/nodes/${nodeB}/states/power`, {
      target: 'power off',
    });
    expect(power.status).toBe(404);
    expect(innerError(power.body).faultstring).toBe(`Node ${nodeB} could not be found.`);
    const port = await asToken(token, 'GET', `/v1/nodes/${nodeB}/ports`);
    expect(port.status).toBe(404);
    // A port named from 1.88 on is hidden by name as by UUID.
    const operator = await keystone.tokenFor('operator', 'system');
    const named = await apiRequest(env.apiUrl, 'POST', '/v1/ports', {
      minor: 88,
      headers: { 'X-Auth-Token': operator },
      body: { node_uuid: nodeB, address: '52:54:00:bb:00:02', name: 'port-of-b' },
    });
    expect(named.status, named.text).toBe(201);
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const byName = await apiRequest(env.apiUrl, method, '/v1/ports/port-of-b', {
        minor: 88,
        headers: { 'X-Auth-Token': token },
        body: method === 'PATCH' ? [{ op: 'replace', path: '/extra/x', value: 'y' }] : undefined,
      });
      expect(byName.status, `${method} ${byName.text}`).toBe(404);
      expect(innerError(byName.body).faultstring).toBe('Port port-of-b could not be found.');
    }
    // The node is still there for its owner.
    const shown = (await json(
      cli('bob', { project: 'projB' }, 'node', 'show', 'node-b', '-f', 'json'),
    )) as {
      power_state: string | null;
    };
    expect(shown).toBeDefined();
  }, 120_000);

  it('lets a lessee power its leased node but not change its BMC credentials', async () => {
    const lessee = { project: 'projL' };
    const powered = await cli('lena', lessee, 'node', 'power', 'on', 'node-a');
    expect(powered.code, powered.stderr).toBe(0);
    const changed = await cli(
      'lena',
      lessee,
      'node',
      'set',
      'node-a',
      '--driver-info',
      'ipmi_password=mine',
    );
    expect(changed.code).not.toBe(0);
    expect(changed.stderr).toContain(
      'Access was denied to the following resource: baremetal:node:update:driver_info',
    );
    const token = await keystone.tokenFor('lena', lessee);
    const shown = await asToken(token, 'GET', `/v1/nodes/${nodeA}`);
    expect(shown.status).toBe(200);
    expect((shown.body as { driver_info: unknown }).driver_info).toEqual({
      content: '** Redacted - requires baremetal:node:get:driver_info permission. **',
    });
    // The owner sees its node's driver_info, with the secret still masked.
    const owner = await keystone.tokenFor('alice', { project: 'projA' });
    const ownView = await asToken(owner, 'GET', `/v1/nodes/${nodeA}`);
    expect((ownView.body as { driver_info: unknown }).driver_info).toEqual({
      ipmi_password: '******',
    });
    const set = await cli(
      'alice',
      { project: 'projA' },
      'node',
      'set',
      'node-a',
      '--driver-info',
      'ipmi_address=10.0.0.9',
    );
    expect(set.code, set.stderr).toBe(0);
  }, 120_000);

  it('lets a project admin create and delete nodes of its own project only (self-owned nodes)', async () => {
    const admin = { project: 'projA' };
    const created = (await json(
      cli(
        'pam',
        admin,
        'node',
        'create',
        '--driver',
        'fake-hardware',
        '--name',
        'own-1',
        '-f',
        'json',
      ),
    )) as { uuid: string; owner: string };
    expect(created.owner).toBe(keystone.projectId('projA'));
    const token = await keystone.tokenFor('pam', admin);
    const foreign = await asToken(token, 'POST', '/v1/nodes', {
      driver: 'fake-hardware',
      owner: keystone.projectId('projB'),
    });
    expect(foreign.status).toBe(400);
    expect(innerError(foreign.body).faultstring).toBe(
      'Cannot create a node as a project scoped admin with an owner other than your own project.',
    );
    const member = await keystone.tokenFor('alice', { project: 'projA' });
    const refused = await asToken(member, 'POST', '/v1/nodes', { driver: 'fake-hardware' });
    expect(refused.status).toBe(403);
    expect(innerError(refused.body).faultstring).toBe(
      'Access was denied to the following resource: baremetal:node:create',
    );
    const memberDelete = await asToken(member, 'DELETE', `/v1/nodes/${created.uuid}`);
    expect(memberDelete.status).toBe(403);
    expect(innerError(memberDelete.body).faultstring).toBe(
      'Access was denied to the following resource: baremetal:node:delete:self_owned_node',
    );
    const deleted = await cli('pam', admin, 'node', 'delete', 'own-1');
    expect(deleted.code, deleted.stderr).toBe(0);
    // Another project's node stays out of reach of this project's admin.
    const other = await cli('pam', admin, 'node', 'delete', 'node-b');
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/could not be found/);
  }, 120_000);

  it('applies an operator policy file and re-reads it when it changes', async () => {
    const token = await keystone.tokenFor('lena', { project: 'projL' });
    const power = () =>
      asToken(token, 'PUT', `/v1/nodes/${nodeA}/states/power`, { target: 'power off' });
    writeFileSync(
      policyFile,
      '"baremetal:node:set_power_state": "role:admin and system_scope:all"\n',
    );
    await expect.poll(async () => (await power()).status, { timeout: 10_000 }).toBe(403);
    const refused = await power();
    expect(innerError(refused.body).faultstring).toBe(
      'Access was denied to the following resource: baremetal:node:set_power_state',
    );
    writeFileSync(policyFile, '# back to the defaults\n');
    await expect.poll(async () => (await power()).status, { timeout: 10_000 }).toBe(202);
  }, 60_000);

  it('refuses an expired or revoked token, having cached it only for token_cache_time', async () => {
    const expiring = await keystone.tokenFor('alice', { project: 'projA' }, 2);
    expect((await asToken(expiring, 'GET', '/v1/nodes')).status).toBe(200);
    await expect
      .poll(async () => (await asToken(expiring, 'GET', '/v1/nodes')).status, {
        timeout: 15_000,
        interval: 500,
      })
      .toBe(401);

    const revoked = await keystone.tokenFor('alice', { project: 'projA' });
    const before = keystone.validations;
    expect((await asToken(revoked, 'GET', '/v1/nodes')).status).toBe(200);
    expect((await asToken(revoked, 'GET', '/v1/nodes')).status).toBe(200);
    expect(keystone.validations - before).toBe(1); // the second use came from the cache
    keystone.revoke(revoked);
    await expect
      .poll(async () => (await asToken(revoked, 'GET', '/v1/nodes')).status, {
        timeout: 15_000,
        interval: 500,
      })
      .toBe(401);
  }, 60_000);
});
