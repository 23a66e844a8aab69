import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baremetal,
  innerError,
  loadSample,
  replaySample,
  sendHttp,
  startSplitMode,
  type SplitMode,
} from '@galvanic/testing';

const MAX = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };

describe('nodes in split mode: the api and two conductors', () => {
  let cluster: SplitMode;
  let apiUrl: string;
  const cli = (...args: string[]) => baremetal(apiUrl, ...args);
  const api = (method: string, path: string, body?: unknown) =>
    sendHttp(apiUrl, method, path, MAX, body === undefined ? undefined : JSON.stringify(body));

  beforeAll(async () => {
    // Debug logging on, so the secrets check below covers every line the services can write.
    cluster = await startSplitMode({ env: { GALVANIC_DEFAULT__DEBUG: 'true' } });
    apiUrl = cluster.apiUrl;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('baremetal node create / list / show / set / unset / delete', async () => {
    const created = (await cli(
      'node',
      'create',
      '--driver',
      'fake-hardware',
      '--name',
      'cli-1',
      '--property',
      'cpus=4',
    )) as Record<string, unknown>;
    expect(created).toMatchObject({
      name: 'cli-1',
      driver: 'fake-hardware',
      provision_state: 'enroll',
      power_interface: 'fake',
      storage_interface: 'noop',
    });
    const listed = (await cli('node', 'list')) as Record<string, unknown>[];
    expect(listed.map((n) => n.Name)).toContain('cli-1');
    await runQuiet(
      'node',
      'set',
      'cli-1',
      '--extra',
      'rack=r1',
      '--description',
      'first',
      '--driver-info',
      'ipmi_password=hunter2',
    );
    const shown = (await cli('node', 'show', 'cli-1')) as Record<string, unknown>;
    expect(shown).toMatchObject({
      extra: { rack: 'r1' },
      description: 'first',
      driver_info: { ipmi_password: '******' },
    });
    expect(shown.conductor).toMatch(/^c[12]$/);
    await runQuiet('node', 'unset', 'cli-1', '--extra', 'rack', '--description');
    expect(await cli('node', 'show', 'cli-1', '--fields', 'extra', 'description')).toEqual({
      extra: {},
      description: null,
    });
    await runQuiet('node', 'delete', 'cli-1');
    const gone = await api('GET', '/v1/nodes/cli-1');
    expect(gone.status).toBe(404);
  });

  it('baremetal node power on / off / reboot, boot device and validate', async () => {
    await cli('node', 'create', '--driver', 'fake-hardware', '--name', 'cli-2');
    await runQuiet('node', 'power', 'on', 'cli-2');
    expect(
      await cli('node', 'show', 'cli-2', '--fields', 'power_state', 'target_power_state'),
    ).toEqual({ power_state: 'power on', target_power_state: null });
    await runQuiet('node', 'reboot', 'cli-2');
    await runQuiet('node', 'power', 'off', 'cli-2');
    expect(await cli('node', 'show', 'cli-2', '--fields', 'power_state')).toEqual({
      power_state: 'power off',
    });
    await runQuiet('node', 'boot', 'device', 'set', 'cli-2', 'pxe', '--persistent');
    expect(await cli('node', 'boot', 'device', 'show', 'cli-2')).toEqual({
      boot_device: 'pxe',
      persistent: true,
    });
    const validation = (await cli('node', 'validate', 'cli-2')) as {
      Interface: string;
      Result: boolean;
    }[];
    expect(validation.every((row) => row.Result)).toBe(true);
    expect(validation.map((row) => row.Interface).sort()).toEqual([
      'bios',
      'boot',
      'console',
      'deploy',
      'inspect',
      'management',
      'network',
      'power',
      'raid',
      'rescue',
      'storage',
    ]);
  });

  it('baremetal node manage / inspect / provide / deploy / undeploy, each with --wait', async () => {
    await cli('node', 'create', '--driver', 'fake-hardware', '--name', 'cli-3');
    for (const [verb, state] of [
      ['manage', 'manageable'],
      ['inspect', 'manageable'],
      ['provide', 'available'],
      ['deploy', 'active'],
      ['undeploy', 'available'],
    ] as const) {
      await runQuiet('node', verb, 'cli-3', '--wait', '60');
      expect(
        await cli(
          'node',
          'show',
          'cli-3',
          '--fields',
          'provision_state',
          'target_provision_state',
          'last_error',
        ),
      ).toEqual({
        provision_state: state,
        target_provision_state: null,
        last_error: null,
      });
    }
    const inspected = (await cli(
      'node',
      'show',
      'cli-3',
      '--fields',
      'inspection_finished_at',
    )) as Record<string, unknown>;
    expect(inspected.inspection_finished_at).toBeTruthy();
    // The CLI polls long actions every 10 s, as it does against Ironic.
  }, 120_000);

  describe('matches the recorded samples', () => {
    let uuid: string;
    const replay = (name: string, path?: string) => {
      const sample = loadSample(name);
      if (path) sample.request.path = path;
      return replaySample(apiUrl, sample).then((result) => ({ sample, result }));
    };

    it('30, 31, 32: create with every version', async () => {
      for (const name of [
        '30-post-node-maxver.json',
        '31-post-node-nover.json',
        '32-post-node-min-fields-maxver.json',
      ]) {
        const { sample, result } = await replay(name);
        expect(result.status, name).toBe(201);
        const recorded = sample.response.body as Record<string, unknown>;
        expect(Object.keys(result.body as object).sort(), name).toEqual(
          Object.keys(recorded).sort(),
        );
        expect(result.headers.location).toMatch(/\/v1\/nodes\/[0-9a-f-]{36}$/);
        if (name.startsWith('30')) {
          uuid = (result.body as { uuid: string }).uuid;
          const {
            uuid: _u,
            created_at: _c,
            conductor: _d,
            links: _l,
            ports: _p,
            states: _s,
            portgroups: _g,
            volume: _v,
            ...rest
          } = recorded;
          expect(result.body).toMatchObject(rest);
        }
      }
    });

    it('33-42: lists, fields, detail, names and versions', async () => {
      const shapes: Record<string, string[]> = {};
      for (const name of [
        '33-get-nodes-nover.json',
        '34-get-nodes-maxver.json',
        '36-get-nodes-fields-maxver.json',
        '37-get-nodes-detail-maxver.json',
        '38-get-nodes-detail-nover.json',
      ]) {
        const { sample, result } = await replay(name);
        expect(result.status, name).toBe(200);
        const keys = (body: unknown) => Object.keys((body as { nodes: object[] }).nodes[0]!).sort();
        expect(keys(result.body), name).toEqual(keys(sample.response.body));
        shapes[name] = keys(result.body);
      }
      const limited = await replay('35-get-nodes-limit1-maxver.json');
      expect((limited.result.body as { nodes: unknown[] }).nodes).toHaveLength(1);
      expect((limited.result.body as { next: string }).next).toMatch(
        /\/v1\/nodes\?limit=1&marker=[0-9a-f-]{36}$/,
      );
      expect((await replay('39-get-node-by-name-maxver.json')).result.status).toBe(200);
      const { sample: s40, result: r40 } = await replay('40-get-node-by-name-nover.json');
      expect(r40.status).toBe(404);
      expect(r40.body).toEqual(s40.response.body);
      const byUuid = await replay('42-get-node-by-uuid-nover.json', `/v1/nodes/${uuid}`);
      expect(Object.keys(byUuid.result.body as object).sort()).toEqual(
        Object.keys(byUuid.sample.response.body as object).sort(),
      );
    });

    it('43, 44: patch, and a read-only field refused in Ironic words', async () => {
      const { result } = await replay('43-patch-node-maxver.json', `/v1/nodes/${uuid}`);
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({
        extra: { k: 'v', foo: 'bar' },
        description: 'golden sample',
        properties: { cpus: 4, memory_mb: 1024 },
      });
      const bad = await replay('44-patch-node-bad-path.json', `/v1/nodes/${uuid}`);
      expect(bad.result.status).toBe(400);
      expect(bad.result.body).toEqual(bad.sample.response.body);
    });

    it('45-53: states, power, boot device, validate', async () => {
      const path = (suffix: string) => `/v1/nodes/${uuid}${suffix}`;
      const states = await replay('45-get-node-states.json', path('/states'));
      expect(states.result.body).toEqual(states.sample.response.body);
      expect((await replay('46-put-node-power-on.json', path('/states/power'))).result.status).toBe(
        202,
      );
      await expect
        .poll(async () => (await api('GET', path('/states'))).body)
        .toEqual(loadSample('47-get-node-states-after-power.json').response.body);
      const invalid = await replay('48-put-node-power-invalid.json', path('/states/power'));
      expect(invalid.result.status).toBe(400);
      expect(innerError(invalid.result.body).faultstring).toBe(
        `The requested action "power sideways" can not be performed on node "${uuid}" while it is in state "power on".`,
      );
      expect(
        (await replay('49-put-node-boot-device.json', path('/management/boot_device'))).result
          .status,
      ).toBe(204);
      for (const name of [
        '50-get-node-boot-device.json',
        '51-get-node-boot-device-supported.json',
        '53-get-node-validate.json',
      ]) {
        const suffix = name.includes('supported')
          ? '/management/boot_device/supported'
          : name.includes('validate')
            ? '/validate'
            : '/management/boot_device';
        const { sample, result } = await replay(name, path(suffix));
        expect(result.body, name).toEqual(sample.response.body);
      }
      const floppy = await replay(
        '52-put-node-boot-device-invalid.json',
        path('/management/boot_device'),
      );
      expect(floppy.result.status).toBe(400);
      expect(innerError(floppy.result.body).faultstring).toBe(
        'Invalid boot device floppy specified.',
      );
    });

    it('65-72, 83, 84: errors in Ironic words (malformed JSON is a 400 here, not a 500)', async () => {
      for (const name of [
        '65-get-node-not-found-name.json',
        '66-get-node-not-found-uuid.json',
        '67-post-node-invalid-driver.json',
        '69-post-node-duplicate-name.json',
        '70-post-node-unknown-field.json',
        '71-post-node-missing-driver.json',
        '72-get-nodes-limit-invalid.json',
        '84-post-node-json-array.json',
      ]) {
        const { sample, result } = await replay(name);
        expect(result.status, name).toBe(sample.response.status);
        expect(innerError(result.body).faultstring, name).toBe(
          innerError(sample.response.body).faultstring,
        );
      }
      for (const name of ['68-post-node-bad-json.json', '83-post-node-not-json.json']) {
        const { result } = await replay(name);
        expect(result.status, name).toBe(400);
        expect(String(innerError(result.body).faultstring)).toMatch(/^Malformed JSON body/);
      }
    });

    it('73-75, 79-82: provisioning, invalid transition, delete', async () => {
      const path = (suffix: string) => `/v1/nodes/${uuid}${suffix}`;
      expect(
        (await replay('73-put-node-provision-manage.json', path('/states/provision'))).result
          .status,
      ).toBe(202);
      await expect
        .poll(
          async () =>
            ((await api('GET', path(''))).body as { provision_state: string }).provision_state,
        )
        .toBe('manageable');
      const invalid = await replay('74-put-node-provision-invalid.json', path('/states/provision'));
      expect(invalid.result.status).toBe(400);
      expect(innerError(invalid.result.body).faultstring).toBe(
        `The requested action "active" can not be performed on node "${uuid}" while it is in state "manageable".`,
      );
      expect(
        (await replay('79-put-node-provision-provide.json', path('/states/provision'))).result
          .status,
      ).toBe(202);
      await expect
        .poll(
          async () =>
            ((await api('GET', path(''))).body as { provision_state: string }).provision_state,
        )
        .toBe('available');
      expect((await replay('81-delete-node.json', path(''))).result.status).toBe(204);
      const again = await replay('82-delete-node-again.json', path(''));
      expect(again.result.status).toBe(404);
      expect(innerError(again.result.body).faultstring).toBe(`Node ${uuid} could not be found.`);
    });
  });

  it('refuses to delete an active node, in Ironic words', async () => {
    await cli('node', 'create', '--driver', 'fake-hardware', '--name', 'busy-1');
    for (const [verb, state] of [
      ['manage', 'manageable'],
      ['provide', 'available'],
      ['active', 'active'],
    ]) {
      expect((await api('PUT', '/v1/nodes/busy-1/states/provision', { target: verb })).status).toBe(
        202,
      );
      await expect
        .poll(
          async () =>
            ((await api('GET', '/v1/nodes/busy-1')).body as { provision_state: string })
              .provision_state,
        )
        .toBe(state);
    }
    const result = await api('DELETE', '/v1/nodes/busy-1');
    expect(result.status).toBe(409);
    expect(String(innerError(result.body).faultstring)).toMatch(
      /^Can not delete node ".*" while it is in provision state "active"/,
    );
  });

  it('baremetal port create / list / delete, with MACs unique', async () => {
    const created = (await cli(
      'node',
      'create',
      '--driver',
      'fake-hardware',
      '--name',
      'ported',
    )) as { uuid: string };
    const port = (await cli('port', 'create', '52:54:00:AB:CD:01', '--node', created.uuid)) as {
      uuid: string;
      address: string;
    };
    expect(port.address).toBe('52:54:00:ab:cd:01');
    const listed = (await cli('port', 'list')) as { UUID: string; Address: string }[];
    expect(listed).toContainEqual({ UUID: port.uuid, Address: '52:54:00:ab:cd:01' });
    const duplicate = await api('POST', '/v1/ports', {
      address: '52:54:00:ab:cd:01',
      node_uuid: created.uuid,
    });
    expect(duplicate.status).toBe(409);
    expect(innerError(duplicate.body).faultstring).toBe(
      'A port with MAC address 52:54:00:ab:cd:01 already exists.',
    );
    await runQuiet('port', 'delete', port.uuid);
    expect((await cli('port', 'list')) as unknown[]).not.toContainEqual(
      expect.objectContaining({ UUID: port.uuid }),
    );
  });

  it('never shows or logs a BMC password', async () => {
    const secret = 'hunter2-do-not-log';
    const created = await api('POST', '/v1/nodes', {
      driver: 'fake-hardware',
      name: 'secretive',
      driver_info: {
        ipmi_password: secret,
        redfish_password: secret,
        ipmi_kg_key: secret,
        ipmi_username: 'admin',
      },
    });
    expect(created.text).not.toContain(secret);
    expect((created.body as { driver_info: Record<string, string> }).driver_info).toEqual({
      ipmi_password: '******',
      redfish_password: '******',
      ipmi_kg_key: '******',
      ipmi_username: 'admin',
    });
    await api('PATCH', '/v1/nodes/secretive', [
      { op: 'add', path: '/driver_info/redfish_password', value: secret },
    ]);
    await runQuiet('node', 'power', 'on', 'secretive');
    for (const path of [
      '/v1/nodes/secretive',
      '/v1/nodes/detail',
      '/v1/nodes/secretive/states',
      '/v1/nodes?fields=driver_info',
    ]) {
      expect((await api('GET', path)).text, path).not.toContain(secret);
    }
    for (const child of cluster.processes) expect(child.output()).not.toContain(secret);
  });

  it('names are unique case-insensitively', async () => {
    await cli('node', 'create', '--driver', 'fake-hardware', '--name', 'Case-1');
    const result = await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'case-1' });
    expect(result.status).toBe(409);
    expect(innerError(result.body).faultstring).toBe('A node with name case-1 already exists.');
  });

  it('lists filter by driver, provision state, maintenance, conductor group, owner and resource class', async () => {
    await api('POST', '/v1/nodes', {
      driver: 'fake-hardware',
      name: 'filter-1',
      owner: 'team-a',
      resource_class: 'gold',
    });
    await api('POST', '/v1/nodes', {
      driver: 'manual-management',
      name: 'filter-2',
      owner: 'team-b',
    });
    const names = async (query: string) =>
      ((await api('GET', `/v1/nodes?${query}`)).body as { nodes: { name: string }[] }).nodes
        .map((n) => n.name)
        .sort();
    expect(await names('owner=team-a')).toEqual(['filter-1']);
    expect(await names('driver=manual-management')).toEqual(['filter-2']);
    expect(await names('resource_class=gold')).toEqual(['filter-1']);
    expect(await names('maintenance=true')).toEqual([]);
    expect(await names('conductor_group=nope')).toEqual([]);
    expect((await names('provision_state=enroll')).length).toBeGreaterThanOrEqual(2);
    const sorted = (
      (await api('GET', '/v1/nodes?sort_key=name&sort_dir=desc&fields=name')).body as {
        nodes: { name: string }[];
      }
    ).nodes.map((n) => n.name);
    // PostgreSQL puts nodes without a name first when sorting descending.
    const named = sorted.filter((name) => name !== null);
    expect(sorted.slice(0, sorted.length - named.length).every((name) => name === null)).toBe(true);
    expect(named).toEqual([...named].sort().reverse());
  });

  async function runQuiet(...args: string[]): Promise<void> {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    await promisify(execFile)('baremetal', args, {
      env: { ...process.env, OS_AUTH_TYPE: 'none', OS_ENDPOINT: apiUrl },
    });
  }
});
