import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcess, type InProcessEnvironment } from '@galvanic/testing';
import { provisioningClient } from './provisioning-client';

/** Provisioning workflows end to end, in one process: where success and failure leave a node. */
describe('provisioning workflows', () => {
  let env: InProcessEnvironment;
  const { node, provision, settles, manageable } = provisioningClient(() => env, 82);

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
