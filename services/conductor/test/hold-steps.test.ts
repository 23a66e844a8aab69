import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baremetal,
  baremetalQuiet,
  createInProcess,
  innerError,
  type InProcessEnvironment,
} from '@galvanic/testing';
import { provisioningClient } from './provisioning-client';

const BIOS_STEP = {
  interface: 'bios',
  step: 'apply_configuration',
  args: { settings: [{ name: 'boot_mode', value: 'uefi' }] },
};

/**
 * API 1.85: the reserved `hold` step parks cleaning and deployment in `clean hold` / `deploy hold`
 * until `unhold` hands the remaining steps back to the conductor, or `abort` ends the work.
 */
describe('hold steps and the unhold verb', () => {
  let env: InProcessEnvironment;
  const { api, node, provision, settles, manageable } = provisioningClient(() => env, 85);
  const available = async (name: string) => {
    await manageable(name);
    await provision(name, { target: 'provide' });
    await settles(name, 'available');
  };
  /** The abort's work (its last_error) lands just after the state moves. */
  const recordsError = async (ident: string) =>
    expect
      .poll(async () => (await node(ident)).last_error, { timeout: 20_000, interval: 50 })
      .not.toBeNull();
  const heldClean = async (name: string) => {
    await manageable(name);
    await provision(name, {
      target: 'clean',
      clean_steps: [{ interface: 'deploy', step: 'hold' }, BIOS_STEP],
    });
    await settles(name, 'clean hold');
  };

  beforeAll(async () => {
    env = await createInProcess({ database: 'shared' });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('manual cleaning stops at hold and, on unhold, runs the remaining steps to manageable', async () => {
    await heldClean('hold-clean');
    const held = await node('hold-clean');
    expect(held).toMatchObject({
      target_provision_state: 'manageable',
      clean_step: { interface: 'deploy', step: 'hold' },
      last_error: null,
    });
    // The step after the hold has not run yet.
    expect(held.driver_internal_info.fake_bios_settings).toBeUndefined();

    await provision('hold-clean', { target: 'unhold' });
    await settles('hold-clean', 'manageable');
    const after = await node('hold-clean');
    expect(after).toMatchObject({ target_provision_state: null, clean_step: {}, last_error: null });
    expect(after.driver_internal_info.fake_bios_settings).toEqual({ boot_mode: 'uefi' });
    expect(after.driver_internal_info.clean_steps).toBeUndefined();
    expect(after.driver_internal_info.clean_step_index).toBeUndefined();
  });

  it('hold is reserved only on the interfaces steps run on', async () => {
    await manageable('hold-on-boot');
    await provision('hold-on-boot', {
      target: 'clean',
      clean_steps: [{ interface: 'boot', step: 'hold' }],
    });
    await settles('hold-on-boot', 'clean failed');
    expect((await node('hold-on-boot')).last_error).toMatch(
      /^No clean step "hold" on the boot interface/,
    );
  });

  it('a deployment stops at a hold deploy step and, on unhold, finishes in active', async () => {
    await available('hold-deploy');
    await provision('hold-deploy', {
      target: 'active',
      deploy_steps: [
        { interface: 'deploy', step: 'hold', priority: 60, args: {} },
        { ...BIOS_STEP, priority: 50 },
      ],
    });
    await settles('hold-deploy', 'deploy hold');
    const held = await node('hold-deploy');
    expect(held).toMatchObject({
      target_provision_state: 'active',
      deploy_step: { interface: 'deploy', step: 'hold', priority: 60 },
    });
    expect(held.driver_internal_info.fake_bios_settings).toBeUndefined();

    await provision('hold-deploy', { target: 'unhold' });
    await settles('hold-deploy', 'active');
    const after = await node('hold-deploy');
    expect(after).toMatchObject({
      target_provision_state: null,
      deploy_step: {},
      last_error: null,
    });
    expect(after.driver_internal_info.fake_bios_settings).toEqual({ boot_mode: 'uefi' });
    expect(after.driver_internal_info.deploy_steps).toBeUndefined();
  });

  it('below 1.85 unhold is 406 on a held node and 400 elsewhere, as Ironic checks the state first', async () => {
    await heldClean('hold-old-client');
    const refused = await api(
      'PUT',
      '/v1/nodes/hold-old-client/states/provision',
      { target: 'unhold' },
      84,
    );
    expect(refused.status).toBe(406);
    expect(innerError(refused.body).faultstring).toBe('Request not acceptable.');
    expect((await node('hold-old-client')).provision_state).toBe('clean hold');

    const uuid = (await node('hold-old-client')).uuid;
    await provision('hold-old-client', { target: 'abort' });
    await settles('hold-old-client', 'clean failed');
    const wrongState = await api(
      'PUT',
      '/v1/nodes/hold-old-client/states/provision',
      { target: 'unhold' },
      84,
    );
    expect(wrongState.status).toBe(400);
    expect(innerError(wrongState.body).faultstring).toBe(
      `The requested action "unhold" can not be performed on node "${uuid}" while it is in state "clean failed".`,
    );
  });

  it('unhold outside a hold state is 400 in Ironic words', async () => {
    await manageable('not-held');
    const uuid = (await node('not-held')).uuid;
    const refused = await api('PUT', '/v1/nodes/not-held/states/provision', { target: 'unhold' });
    expect(refused.status).toBe(400);
    expect(innerError(refused.body).faultstring).toBe(
      `The requested action "unhold" can not be performed on node "${uuid}" while it is in state "manageable".`,
    );
    expect((await node('not-held')).provision_state).toBe('manageable');
  });

  it('abort from clean hold fails the cleaning, naming the hold step, and the node can be managed', async () => {
    await heldClean('hold-abort-clean');
    await provision('hold-abort-clean', { target: 'abort' });
    await settles('hold-abort-clean', 'clean failed');
    await recordsError('hold-abort-clean');
    const failed = await node('hold-abort-clean');
    expect(failed).toMatchObject({
      target_provision_state: 'manageable',
      clean_step: {},
      last_error:
        'By request, the clean operation was aborted during or after the completion of step "deploy.hold"',
    });
    expect(failed.driver_internal_info.clean_steps).toBeUndefined();
    expect(failed.driver_internal_info.fake_bios_settings).toBeUndefined();
    await provision('hold-abort-clean', { target: 'manage' });
    await settles('hold-abort-clean', 'manageable');
  });

  it('abort from deploy hold leaves the node in deploy failed', async () => {
    await available('hold-abort-deploy');
    await provision('hold-abort-deploy', {
      target: 'active',
      deploy_steps: [{ interface: 'deploy', step: 'hold', priority: 60, args: {} }],
    });
    await settles('hold-abort-deploy', 'deploy hold');
    await provision('hold-abort-deploy', { target: 'abort' });
    await settles('hold-abort-deploy', 'deploy failed');
    await recordsError('hold-abort-deploy');
    expect(await node('hold-abort-deploy')).toMatchObject({
      target_provision_state: 'active',
      deploy_step: {},
      last_error:
        'By request, the deploy operation was aborted during or after the completion of step "deploy.hold"',
    });
  });

  it('the real baremetal CLI cleans into clean hold; unhold (not in CLI 5.0.1) over HTTP resumes it', async () => {
    await manageable('hold-cli');
    const cli = ['--os-baremetal-api-version', '1.85', 'node'];
    const show = (...fields: string[]) =>
      baremetal(env.apiUrl, ...cli, 'show', 'hold-cli', '--fields', ...fields);
    await baremetalQuiet(
      env.apiUrl,
      ...cli,
      'clean',
      'hold-cli',
      '--clean-steps',
      JSON.stringify([{ interface: 'deploy', step: 'hold' }, BIOS_STEP]),
    );
    await settles('hold-cli', 'clean hold');
    expect(await show('provision_state', 'clean_step')).toMatchObject({
      provision_state: 'clean hold',
      clean_step: { interface: 'deploy', step: 'hold' },
    });
    await provision('hold-cli', { target: 'unhold' });
    await settles('hold-cli', 'manageable');
    expect(await show('provision_state')).toEqual({ provision_state: 'manageable' });
  });
});
