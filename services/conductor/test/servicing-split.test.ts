import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  baremetal,
  baremetalQuiet,
  createSplit,
  type ApiRequestOptions,
  type SplitEnvironment,
} from '@galvanic/testing';

type Node = Record<string, unknown> & { provision_state: string };

const LOG_STEP = { interface: 'vendor', step: 'log_passthrough', args: { via: 'split' } };

/**
 * Servicing and runbooks in split mode: the api and conductors over the real broker; the
 * `service` request, the runbook's steps and the abort of `service wait` all cross it.
 */
describe('servicing with a runbook and aborting service wait (split mode)', () => {
  let env: SplitEnvironment;
  let base: string;
  const call = (method: string, path: string, options: ApiRequestOptions = {}) =>
    apiRequest(base, method, path, { minor: 112, ...options });
  const nodeOf = async (name: string) => (await call('GET', `/v1/nodes/${name}`)).body as Node;

  /** Requests a provision target and waits, in a plain loop, for the state it should lead to. */
  const provision = async (name: string, body: Record<string, unknown>, wanted: string) => {
    const moved = await call('PUT', `/v1/nodes/${name}/states/provision`, { body });
    expect(moved.status, moved.text).toBe(202);
    await reaches(name, wanted);
  };
  const reaches = async (name: string, wanted: string) => {
    const deadline = Date.now() + 120_000;
    let node = await nodeOf(name);
    while (node.provision_state !== wanted) {
      if (Date.now() > deadline)
        throw new Error(`${name} stayed in ${node.provision_state}, not ${wanted}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      node = await nodeOf(name);
    }
    return node;
  };

  beforeAll(async () => {
    env = await createSplit();
    base = env.apiUrl;
  }, 300_000);

  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a runbook on an active node, then aborts a step left waiting, with the CLI', async () => {
    const created = await call('POST', '/v1/nodes', {
      body: { driver: 'fake-hardware', name: 'split-serviced' },
    });
    expect(created.status, created.text).toBe(201);
    await provision('split-serviced', { target: 'manage' }, 'manageable');
    await provision('split-serviced', { target: 'provide' }, 'available');
    await provision('split-serviced', { target: 'active' }, 'active');

    const runbook = await call('POST', '/v1/runbooks', {
      body: { name: 'log-then-wait', steps: [{ ...LOG_STEP, order: 0 }] },
    });
    expect(runbook.status, runbook.text).toBe(201);
    const uuid = (runbook.body as { uuid: string }).uuid;
    expect(
      (await call('PUT', `/v1/runbooks/${uuid}/traits`, { body: { traits: ['CUSTOM_SPLIT'] } }))
        .status,
    ).toBe(204);
    const traits = await call('PUT', '/v1/nodes/split-serviced/traits', {
      body: { traits: ['CUSTOM_SPLIT'] },
    });
    expect(traits.status, traits.text).toBe(204);
    await provision('split-serviced', { target: 'service', runbook: 'log-then-wait' }, 'active');
    const serviced = await nodeOf('split-serviced');
    expect(serviced).toMatchObject({ service_step: {}, last_error: null });

    await provision(
      'split-serviced',
      {
        target: 'service',
        service_steps: [{ interface: 'vendor', step: 'trigger_servicewait', args: {} }],
      },
      'service wait',
    );
    // The CLI has no `node service` command (5.0.1), but `node abort` aborts service wait.
    await baremetalQuiet(base, 'node', 'abort', 'split-serviced');
    const failed = await reaches('split-serviced', 'service failed');
    expect(failed.target_provision_state).toBe('active');
    await baremetalQuiet(base, 'node', 'abort', 'split-serviced');
    await reaches('split-serviced', 'active');
    const shown = (await baremetal(base, 'node', 'show', 'split-serviced')) as Node;
    expect(shown.provision_state).toBe('active');
  }, 300_000);
});
