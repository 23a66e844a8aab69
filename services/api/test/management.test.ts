import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInProcess,
  innerError,
  sendHttp,
  type InProcessEnvironment,
} from '@galvanic/testing';

type Json = Record<string, unknown>;

describe('inject NMI and boot mode (in-process environment, fake and noop management)', () => {
  let env: InProcessEnvironment;
  const api = (method: string, path: string, version: string, body?: unknown) =>
    sendHttp(
      env.apiUrl,
      method,
      path,
      { 'X-OpenStack-Ironic-API-Version': version, 'Content-Type': 'application/json' },
      body === undefined ? undefined : JSON.stringify(body),
    );
  const show = async (name: string) => (await api('GET', `/v1/nodes/${name}`, '1.82')).body as Json;

  beforeAll(async () => {
    env = await createInProcess({ conductors: ['c1'] });
    for (const [name, driver] of [
      ['fake-1', 'fake-hardware'],
      ['manual-1', 'manual-management'],
    ]) {
      const created = await api('POST', '/v1/nodes', '1.82', { name, driver });
      expect(created.status).toBe(201);
    }
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  it('PUT management/inject_nmi answers 204 from 1.29 and reaches the management interface', async () => {
    const injected = await api('PUT', '/v1/nodes/fake-1/management/inject_nmi', '1.29', {});
    expect(injected.status).toBe(204);
    expect(injected.text).toBe('');
    await api('PUT', '/v1/nodes/fake-1/management/inject_nmi', '1.82', {});
    const internal = (await show('fake-1')).driver_internal_info as Json;
    expect(internal.fake_nmi_count).toBe(2);
  });

  it('inject_nmi is not found below 1.29, and only PUT is allowed', async () => {
    const below = await api('PUT', '/v1/nodes/fake-1/management/inject_nmi', '1.28', {});
    expect(below.status).toBe(404);
    const get = await api('GET', '/v1/nodes/fake-1/management/inject_nmi', '1.82');
    expect(get.status).toBe(405);
  });

  it('inject_nmi on a management interface without it is a 400 UnsupportedDriverExtension', async () => {
    const refused = await api('PUT', '/v1/nodes/manual-1/management/inject_nmi', '1.82', {});
    expect(refused.status).toBe(400);
    expect(innerError(refused.body).faultstring).toBe(
      'Driver manual-management does not support inject_nmi (disabled or not implemented).',
    );
  });

  it('PUT states/boot_mode answers 202 with Location and records boot_mode once set', async () => {
    expect((await show('fake-1')).boot_mode).toBeNull();
    const accepted = await api('PUT', '/v1/nodes/fake-1/states/boot_mode', '1.76', {
      target: 'uefi',
    });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.location).toMatch(/\/v1\/nodes\/[0-9a-f-]{36}\/states$/);
    await expect.poll(async () => (await show('fake-1')).boot_mode).toBe('uefi');
    await api('PUT', '/v1/nodes/fake-1/states/boot_mode', '1.82', { target: 'bios' });
    await expect.poll(async () => (await show('fake-1')).boot_mode).toBe('bios');
    const states = (await api('GET', '/v1/nodes/fake-1/states', '1.82')).body as Json;
    expect(states.boot_mode).toBe('bios');
    expect(((await show('fake-1')).driver_internal_info as Json).fake_boot_mode).toBe('bios');
  });

  it('states/boot_mode is not found below 1.76 and refuses a mode Ironic does not name', async () => {
    const below = await api('PUT', '/v1/nodes/fake-1/states/boot_mode', '1.75', {
      target: 'uefi',
    });
    expect(below.status).toBe(404);
    expect(innerError(below.body).faultstring).toBe(
      'This endpoint is supported starting with the API version 1.76',
    );
    const missingNode = await api('PUT', '/v1/nodes/no-such-node/states/boot_mode', '1.75', {
      target: 'uefi',
    });
    expect(innerError(missingNode.body).faultstring).toBe('Node no-such-node could not be found.');
    const invalid = await api('PUT', '/v1/nodes/fake-1/states/boot_mode', '1.82', {
      target: 'legacy',
    });
    expect(invalid.status).toBe(400);
    expect(innerError(invalid.body).faultstring).toBe(
      'Invalid boot mode legacy requested for node. Allowed boot modes are: bios, uefi',
    );
    const missing = await api('PUT', '/v1/nodes/fake-1/states/boot_mode', '1.82', {});
    expect(missing.status).toBe(400);
  });

  it('states/boot_mode on a management interface without boot modes is accepted, then fails in last_error', async () => {
    const accepted = await api('PUT', '/v1/nodes/manual-1/states/boot_mode', '1.82', {
      target: 'uefi',
    });
    expect(accepted.status).toBe(202);
    await expect
      .poll(async () => (await show('manual-1')).last_error)
      .toBe(
        "Failed to change boot mode to 'uefi: Driver manual-management does not support set_boot_mode (disabled or not implemented).",
      );
    expect((await show('manual-1')).boot_mode).toBeNull();
  });

  it('management/indicators lists each indicator as name@component, with links', async () => {
    const listed = await api('GET', '/v1/nodes/fake-1/management/indicators', '1.63');
    expect(listed.status).toBe(200);
    const { indicators } = listed.body as { indicators: Json[] };
    expect(indicators.map(({ links: _links, ...rest }) => rest)).toEqual([
      {
        name: 'led@system',
        component: 'system',
        readonly: false,
        states: ['BLINKING', 'OFF', 'ON'],
      },
      { name: 'led@chassis', component: 'chassis', readonly: true, states: ['OFF', 'ON'] },
    ]);
    expect(indicators[0]!.links).toEqual([
      {
        href: expect.stringMatching(/\/v1\/nodes\/fake-1\/management\/indicators\/led@system$/),
        rel: 'self',
      },
      {
        href: expect.stringMatching(
          /^http:\/\/[^/]+\/nodes\/fake-1\/management\/indicators\/led@system$/,
        ),
        rel: 'bookmark',
      },
    ]);
  });

  it('GET and PUT management/indicators/{name@component} read and set a state (204)', async () => {
    const path = '/v1/nodes/fake-1/management/indicators/led@system';
    expect((await api('GET', path, '1.82')).body).toEqual({ state: 'OFF' });
    const set = await api('PUT', path, '1.82', { state: 'BLINKING' });
    expect(set.status).toBe(204);
    expect((await api('GET', path, '1.82')).body).toEqual({ state: 'BLINKING' });
  });

  it('indicator errors: a malformed name, a bad state, a read-only one, no support', async () => {
    const base = '/v1/nodes/fake-1/management/indicators';
    const malformed = await api('GET', `${base}/led`, '1.82');
    expect(malformed.status).toBe(400);
    expect(innerError(malformed.body).faultstring).toBe('Malformed indicator name "led"');
    const badState = await api('PUT', `${base}/led@system`, '1.82', { state: 'PURPLE' });
    expect(badState.status).toBe(400);
    const readonly = await api('PUT', `${base}/led@chassis`, '1.82', { state: 'ON' });
    expect(readonly.status).toBe(400);
    expect(innerError(readonly.body).faultstring).toBe(
      'Indicator led on component chassis is read-only.',
    );
    const unsupported = await api('GET', '/v1/nodes/manual-1/management/indicators', '1.82');
    expect(unsupported.status).toBe(400);
    expect(innerError(unsupported.body).faultstring).toBe(
      'Driver manual-management does not support get_supported_indicators (disabled or not implemented).',
    );
  });
});
