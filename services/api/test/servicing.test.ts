import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInProcess,
  innerError,
  type HttpResult,
  type InProcessEnvironment,
} from '@galvanic/testing';
import { FakeNodeLifecycle, TO_ACTIVE } from './fake-node-lifecycle';

const LOG_STEP = { interface: 'vendor', step: 'log_passthrough', args: { note: 'hello' } };
const WAIT_STEP = { interface: 'vendor', step: 'trigger_servicewait', args: {} };

describe('servicing an active node: 1.87 service verb, 1.108 disable_ramdisk (in-process)', () => {
  let env: InProcessEnvironment;
  let base: string;
  const nodes = new FakeNodeLifecycle(() => base, 87);
  const call = nodes.call.bind(nodes);
  const fault = (result: HttpResult) => innerError(result.body).faultstring;
  const nodeOf = (name: string, minor = 87) => nodes.node(name, minor);
  const settles = (name: string, state: string) => nodes.settles(name, state);
  const provision = (name: string, body: Record<string, unknown>, minor = 87) =>
    nodes.provision(name, body, minor);

  beforeAll(async () => {
    env = await createInProcess({ database: 'shared' });
    base = env.apiUrl;
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  it('deploys a fake-hardware node to serve', async () => {
    await nodes.create('serviced', TO_ACTIVE);
  }, 120_000);

  it('below 1.87 the verb is refused (406) and service_step is not shown', async () => {
    const refused = await provision(
      'serviced',
      { target: 'service', service_steps: [LOG_STEP] },
      86,
    );
    expect(refused.status).toBe(406);
    expect(Object.hasOwn(await nodeOf('serviced', 86), 'service_step')).toBe(false);
    expect((await nodeOf('serviced', 87)).service_step).toEqual({});
    const field = await call('GET', '/v1/nodes/serviced?fields=service_step');
    expect(field.body).toMatchObject({ service_step: {} });
  });

  it('checks the request as Ironic does', async () => {
    const noSteps = await provision('serviced', { target: 'service' });
    expect(noSteps.status).toBe(400);
    expect(fault(noSteps)).toBe(
      '"service_steps" is required when setting target provision state to service',
    );
    const wrongVerb = await provision('serviced', { target: 'rebuild', service_steps: [LOG_STEP] });
    expect(wrongVerb.status).toBe(400);
    expect(fault(wrongVerb)).toBe(
      '"service_steps" is only valid when setting target provision state to service',
    );
  });

  it('runs the steps on the active node and returns it to active', async () => {
    const started = await provision('serviced', { target: 'service', service_steps: [LOG_STEP] });
    expect(started.status, started.text).toBe(202);
    await settles('serviced', 'active');
    const node = await nodeOf('serviced');
    expect(node).toMatchObject({
      provision_state: 'active',
      target_provision_state: null,
      service_step: {},
      last_error: null,
    });
  });

  it('a step that is not a service step fails servicing; abort returns the node to active', async () => {
    const started = await provision('serviced', {
      target: 'service',
      service_steps: [{ interface: 'deploy', step: 'deploy', args: {} }],
    });
    expect(started.status).toBe(202);
    await settles('serviced', 'service failed');
    const failed = await nodeOf('serviced');
    expect(failed.target_provision_state).toBe('active');
    expect(failed.last_error).toMatch(/No service step "deploy" on the deploy interface/);
    const aborted = await provision('serviced', { target: 'abort' });
    expect(aborted.status, aborted.text).toBe(202);
    await settles('serviced', 'active');
  });

  it('an asynchronous step leaves the node in service wait; abort fails it, service resumes', async () => {
    await provision('serviced', { target: 'service', service_steps: [WAIT_STEP, LOG_STEP] });
    await settles('serviced', 'service wait');
    const waiting = await nodeOf('serviced');
    expect(waiting.target_provision_state).toBe('active');
    expect(waiting.service_step).toMatchObject({
      interface: 'vendor',
      step: 'trigger_servicewait',
    });
    // Still waiting: another service request is refused by the state machine.
    const again = await provision('serviced', { target: 'service', service_steps: [LOG_STEP] });
    expect(again.status).toBe(400);
    expect((await provision('serviced', { target: 'abort' })).status).toBe(202);
    await settles('serviced', 'service failed');
    // From service failed a new service request is accepted and succeeds.
    expect(
      (await provision('serviced', { target: 'service', service_steps: [LOG_STEP] })).status,
    ).toBe(202);
    await settles('serviced', 'active');
    expect((await nodeOf('serviced')).service_step).toEqual({});
  });

  it('refuses service on a node that is not active', async () => {
    const created = await call('POST', '/v1/nodes', {
      body: { driver: 'fake-hardware', name: 'enrolled' },
    });
    expect(created.status).toBe(201);
    const refused = await provision('enrolled', { target: 'service', service_steps: [LOG_STEP] });
    expect(refused.status).toBe(400);
    expect(fault(refused)).toMatch(/The requested action "service" can not be performed on node/);
  });

  it('1.108: disable_ramdisk is refused below, runs only steps that need no ramdisk at or above', async () => {
    const early = await provision(
      'serviced',
      { target: 'service', service_steps: [LOG_STEP], disable_ramdisk: true },
      107,
    );
    expect(early.status).toBe(406);
    expect(fault(early)).toBe('disable_ramdisk is not acceptable in this API version');
    const otherVerb = await provision(
      'serviced',
      { target: 'rebuild', disable_ramdisk: true },
      108,
    );
    expect(otherVerb.status).toBe(400);
    expect(fault(otherVerb)).toBe(
      'disable_ramdisk is supported only with manual cleaning or servicing',
    );

    const ramdiskFree = await provision(
      'serviced',
      { target: 'service', service_steps: [LOG_STEP], disable_ramdisk: true },
      108,
    );
    expect(ramdiskFree.status, ramdiskFree.text).toBe(202);
    await settles('serviced', 'active');
    expect((await nodeOf('serviced')).last_error).toBeNull();

    await provision(
      'serviced',
      { target: 'service', service_steps: [WAIT_STEP], disable_ramdisk: true },
      108,
    );
    await settles('serviced', 'service failed');
    expect((await nodeOf('serviced')).last_error).toBe(
      'service step vendor.trigger_servicewait requires booting a ramdisk, and the ramdisk is disabled.',
    );
    await provision('serviced', { target: 'abort' });
    await settles('serviced', 'active');
  });
});
