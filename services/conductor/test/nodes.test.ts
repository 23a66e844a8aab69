import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baremetal,
  baremetalQuiet,
  innerError,
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
  }, 120_000);

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

  async function runQuiet(...args: string[]): Promise<void> {
    await baremetalQuiet(apiUrl, ...args);
  }
});
