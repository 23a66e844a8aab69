import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcess, sendHttp, type InProcessEnvironment } from '@galvanic/testing';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };

interface NodeBody {
  provision_state: string;
  target_provision_state: string | null;
  last_error: string | null;
  clean_step: Record<string, unknown>;
  deploy_step: Record<string, unknown>;
  instance_info: Record<string, unknown>;
  driver_internal_info: Record<string, unknown>;
}

/** Provisioning workflows end to end, in one process: where success and failure leave a node. */
describe('provisioning workflows', () => {
  let env: InProcessEnvironment;
  const api = (method: string, path: string, body?: unknown) =>
    sendHttp(
      env.apiUrl,
      method,
      path,
      HEADERS,
      body === undefined ? undefined : JSON.stringify(body),
    );
  const node = async (ident: string) => (await api('GET', `/v1/nodes/${ident}`)).body as NodeBody;
  const provision = async (ident: string, body: Record<string, unknown>) =>
    expect((await api('PUT', `/v1/nodes/${ident}/states/provision`, body)).status).toBe(202);
  const settles = async (ident: string, state: string) =>
    expect
      .poll(async () => (await node(ident)).provision_state, { timeout: 10_000, interval: 50 })
      .toBe(state);
  const manageable = async (name: string, fields: Record<string, unknown> = {}) => {
    expect(
      (await api('POST', '/v1/nodes', { driver: 'fake-hardware', name, ...fields })).status,
    ).toBe(201);
    await provision(name, { target: 'manage' });
    await settles(name, 'manageable');
  };

  beforeAll(async () => {
    env = await createInProcess({ database: 'shared' });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('a clean step that fails leaves the node in clean failed, with its error and no current step', async () => {
    await manageable('bad-bios');
    await provision('bad-bios', {
      target: 'clean',
      clean_steps: [{ interface: 'bios', step: 'apply_configuration', args: { settings: 'x' } }],
    });
    await settles('bad-bios', 'clean failed');
    expect(await node('bad-bios')).toMatchObject({
      last_error: 'The "settings" argument must be a list of {name, value}.',
      clean_step: {},
    });
  });

  it('manual cleaning that succeeds goes back to manageable', async () => {
    await manageable('good-bios');
    await provision('good-bios', {
      target: 'clean',
      clean_steps: [
        {
          interface: 'bios',
          step: 'apply_configuration',
          args: { settings: [{ name: 'boot_mode', value: 'uefi' }] },
        },
      ],
    });
    await settles('good-bios', 'manageable');
    const after = await node('good-bios');
    expect(after).toMatchObject({ last_error: null, clean_step: {} });
    expect(after.driver_internal_info.fake_bios_settings).toEqual({ boot_mode: 'uefi' });
  });

  it('a deploy step the node does not have fails the deploy, with the steps it has', async () => {
    await manageable('bad-deploy');
    await provision('bad-deploy', { target: 'provide' });
    await settles('bad-deploy', 'available');
    await provision('bad-deploy', {
      target: 'active',
      deploy_steps: [{ interface: 'deploy', step: 'no_such_step', priority: 50, args: {} }],
    });
    await settles('bad-deploy', 'deploy failed');
    const after = await node('bad-deploy');
    expect(after.last_error).toMatch(/^No deploy step "no_such_step" on the deploy interface/);
    expect(after.deploy_step).toEqual({});
  });

  for (const automatedClean of [true, false]) {
    it(`undeploy tears down and, with automated_clean ${automatedClean}, ends in available`, async () => {
      const name = `undeploy-${automatedClean}`;
      await manageable(name, { automated_clean: automatedClean });
      await provision(name, { target: 'provide' });
      await settles(name, 'available');
      await provision(name, { target: 'active' });
      await settles(name, 'active');
      await provision(name, { target: 'deleted' });
      await settles(name, 'available');
      expect(await node(name)).toMatchObject({
        last_error: null,
        target_provision_state: null,
        instance_info: {},
      });
    });
  }
});
