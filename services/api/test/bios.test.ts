import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  baremetal,
  createInProcess,
  innerError,
  ironicLinks,
  IRONIC_TIMESTAMP,
  type HttpResult,
  type InProcessEnvironment,
} from '@galvanic/testing';

type Setting = Record<string, unknown> & { name: string };

describe("Ironic's node BIOS API (in-process environment, fake-hardware)", () => {
  let env: InProcessEnvironment;
  let base: string;

  /** Sends a request at microversion 1.`minor` (82 unless given), with a JSON body if any. */
  const call = (method: string, path: string, options: { minor?: number; body?: unknown } = {}) =>
    apiRequest(base, method, path, options);
  const fault = (result: HttpResult) => innerError(result.body).faultstring;
  const settingsOf = (result: HttpResult) => (result.body as { bios: Setting[] }).bios;
  const links = (path: string) => ironicLinks(base, path);
  const provisionState = async (uuid: string) =>
    ((await call('GET', `/v1/nodes/${uuid}`)).body as { provision_state: string }).provision_state;
  const provision = async (uuid: string, body: Record<string, unknown>, expected: string) => {
    const result = await call('PUT', `/v1/nodes/${uuid}/states/provision`, { body });
    expect(result.status, result.text).toBe(202);
    await expect.poll(() => provisionState(uuid), { timeout: 10_000 }).toBe(expected);
  };

  let uuid: string;

  beforeAll(async () => {
    env = await createInProcess();
    base = env.apiUrl;
    const created = await call('POST', '/v1/nodes', {
      body: { driver: 'fake-hardware', name: 'bios-1', bios_interface: 'fake' },
    });
    expect(created.status, created.text).toBe(201);
    uuid = (created.body as { uuid: string }).uuid;
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  it('has no bios subresource before 1.40, and no settings before the node is verified', async () => {
    const old = await call('GET', `/v1/nodes/${uuid}/bios`, { minor: 39 });
    expect(old.status).toBe(404);
    expect((await call('GET', `/v1/nodes/${uuid}/bios/BootMode`, { minor: 39 })).status).toBe(404);
    const empty = await call('GET', `/v1/nodes/${uuid}/bios`, { minor: 40 });
    expect(empty.status, empty.text).toBe(200);
    expect(empty.body).toEqual({ bios: [] });
    const missing = await call('GET', '/v1/nodes/no-such-node/bios');
    expect(missing.status).toBe(404);
    expect(fault(missing)).toBe('Node no-such-node could not be found.');
  });

  it('caches the settings when the node is verified, and shows them as Ironic does', async () => {
    await provision(uuid, { target: 'manage' }, 'manageable');

    const list = await call('GET', `/v1/nodes/${uuid}/bios`, { minor: 40 });
    expect(list.status, list.text).toBe(200);
    const settings = settingsOf(list);
    expect(settings.map((s) => [s.name, s.value])).toEqual([
      ['BootMode', 'Uefi'],
      ['ProcTurboMode', 'Enabled'],
      ['SerialNumber', 'FAKE0001'],
    ]);
    expect(Object.keys(settings[0]!)).toEqual([
      'created_at',
      'updated_at',
      'name',
      'value',
      'links',
    ]);
    expect(settings[0]!.created_at).toMatch(IRONIC_TIMESTAMP);
    expect(settings[0]!.updated_at).toBeNull();
    expect(settings[0]!.links).toEqual(links(`nodes/${uuid}/bios/BootMode`));

    // Links name the node as the request did.
    const byName = settingsOf(await call('GET', '/v1/nodes/bios-1/bios'));
    expect(byName[1]!.links).toEqual(links('nodes/bios-1/bios/ProcTurboMode'));

    // 1.74: ?detail=True adds the registry's fields; ?fields= picks some.
    const detailed = settingsOf(await call('GET', `/v1/nodes/${uuid}/bios?detail=True`));
    expect(detailed[2]).toEqual({
      created_at: expect.stringMatching(IRONIC_TIMESTAMP),
      updated_at: null,
      name: 'SerialNumber',
      value: 'FAKE0001',
      attribute_type: 'String',
      allowable_values: null,
      lower_bound: null,
      max_length: 16,
      min_length: 1,
      read_only: true,
      reset_required: false,
      unique: true,
      upper_bound: null,
      links: links(`nodes/${uuid}/bios/SerialNumber`),
    });
    expect(detailed[0]!.allowable_values).toEqual(['Bios', 'Uefi']);
    const picked = settingsOf(await call('GET', `/v1/nodes/${uuid}/bios?fields=name,read_only`));
    expect(picked.map((s) => [s.name, s.read_only, s.value])).toEqual([
      ['BootMode', false, undefined],
      ['ProcTurboMode', false, undefined],
      ['SerialNumber', true, undefined],
    ]);

    // Before 1.74 neither is accepted; and never both.
    const oldDetail = await call('GET', `/v1/nodes/${uuid}/bios?detail=True`, { minor: 73 });
    expect(oldDetail.status).toBe(400);
    expect(fault(oldDetail)).toBe('Invalid query parameter ?detail=True received.');
    const oldFields = await call('GET', `/v1/nodes/${uuid}/bios?fields=name,value`, {
      minor: 73,
    });
    expect(oldFields.status).toBe(400);
    expect(fault(oldFields)).toBe("Invalid query parameter ?fields=['name', 'value'] received.");
    const both = await call('GET', `/v1/nodes/${uuid}/bios?detail=True&fields=name`);
    expect(both.status).toBe(400);
    expect(fault(both)).toBe('Can not specify ?detail=True and fields in the same request.');
  });

  it('shows one setting, with the registry fields from 1.74, and 404s an unknown one', async () => {
    const old = await call('GET', `/v1/nodes/bios-1/bios/ProcTurboMode`, { minor: 73 });
    expect(old.status, old.text).toBe(200);
    expect(old.body).toEqual({
      ProcTurboMode: {
        created_at: expect.stringMatching(IRONIC_TIMESTAMP),
        updated_at: null,
        name: 'ProcTurboMode',
        value: 'Enabled',
        links: links(`nodes/${uuid}/bios/ProcTurboMode`),
      },
    });
    const shown = await call('GET', `/v1/nodes/${uuid}/bios/ProcTurboMode`);
    expect((shown.body as Record<string, Setting>).ProcTurboMode).toMatchObject({
      attribute_type: 'Enumeration',
      allowable_values: ['Enabled', 'Disabled'],
      reset_required: true,
    });
    const missing = await call('GET', '/v1/nodes/bios-1/bios/NoSuchSetting');
    expect(missing.status).toBe(404);
    expect(fault(missing)).toBe(`Node ${uuid} doesn't have a BIOS setting 'NoSuchSetting'`);
    const badName = await call('GET', '/v1/nodes/no-such-node/bios/a%20b');
    expect(badName.status).toBe(400);
    expect(fault(badName)).toBe('Expected name for setting_name: a b');
    expect((await call('POST', `/v1/nodes/${uuid}/bios`, { body: {} })).status).toBe(405);
  });

  it('caches the settings again after the BIOS clean steps', async () => {
    await provision(
      uuid,
      {
        target: 'clean',
        clean_steps: [
          {
            interface: 'bios',
            step: 'apply_configuration',
            args: {
              settings: [
                { name: 'ProcTurboMode', value: 'Disabled' },
                { name: 'NumLock', value: 'On' },
              ],
            },
          },
        ],
      },
      'manageable',
    );
    const applied = settingsOf(await call('GET', `/v1/nodes/${uuid}/bios?detail=True`));
    expect(applied.map((s) => [s.name, s.value])).toEqual([
      ['BootMode', 'Uefi'],
      ['NumLock', 'On'],
      ['ProcTurboMode', 'Disabled'],
      ['SerialNumber', 'FAKE0001'],
    ]);
    expect(applied[0]!.updated_at).toBeNull();
    expect(applied[2]!.updated_at).toMatch(IRONIC_TIMESTAMP);
    expect(applied[1]!.attribute_type).toBeNull();

    // The baremetal CLI reads them the same way.
    const cliList = (await baremetal(base, 'node', 'bios', 'setting', 'list', 'bios-1')) as {
      'BIOS setting name': string;
      'BIOS setting value': string;
    }[];
    expect(cliList.map((s) => [s['BIOS setting name'], s['BIOS setting value']])).toContainEqual([
      'ProcTurboMode',
      'Disabled',
    ]);
    const cliShow = (await baremetal(
      base,
      'node',
      'bios',
      'setting',
      'show',
      'bios-1',
      'NumLock',
    )) as Record<string, unknown>;
    expect(cliShow).toMatchObject({ name: 'NumLock', value: 'On' });

    await provision(
      uuid,
      { target: 'clean', clean_steps: [{ interface: 'bios', step: 'factory_reset' }] },
      'manageable',
    );
    const reset = settingsOf(await call('GET', `/v1/nodes/${uuid}/bios`));
    expect(reset.map((s) => [s.name, s.value])).toEqual([
      ['BootMode', 'Uefi'],
      ['ProcTurboMode', 'Enabled'],
      ['SerialNumber', 'FAKE0001'],
    ]);
  });

  it('deletes the settings with their node', async () => {
    expect((await call('DELETE', `/v1/nodes/${uuid}`)).status).toBe(204);
    expect((await call('GET', `/v1/nodes/${uuid}/bios`)).status).toBe(404);
  });
});
