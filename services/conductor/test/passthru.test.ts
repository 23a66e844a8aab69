import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONDUCTOR_CONTRACT_VERSION, nodeVendorPassthruMethod } from '@galvanic/conductor-api';
import { silentLogger } from '@galvanic/logging';
import { AmqpTransport, RpcClient } from '@galvanic/rpc';
import {
  queryDatabase,
  innerError,
  loadSample,
  replaySample,
  sendHttp,
  startSplitMode,
  TEST_AMQP_URL,
  TEST_RPC_MESSAGE_KEY,
  type SplitMode,
} from '@galvanic/testing';
import { startAcmeSim, type AcmeSim } from 'acme-galvanic-driver/sim';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };

interface MethodRun {
  method: string;
  node: string;
  entered_us: number;
  left_us: number;
  host: string;
  shared: boolean;
}

describe('vendor passthru for nodes and drivers, with Ironic semantics', () => {
  let cluster: SplitMode;
  let apiUrl: string;
  let sim: AcmeSim;
  let uuid: string;

  const api = (method: string, path: string, body?: unknown) =>
    sendHttp(apiUrl, method, path, HEADERS, body === undefined ? undefined : JSON.stringify(body));
  const replay = (name: string) => {
    const sample = loadSample(name);
    sample.request.path = sample.request.path.replace('8f2f8362-943f-40e1-a078-3e975cd20654', uuid);
    return replaySample(apiUrl, sample).then((result) => ({ sample, result }));
  };
  const runs = (): MethodRun[] =>
    [...cluster.conductors.values()].flatMap((child) =>
      child
        .output()
        .split('\n')
        .filter((line) => line.includes('"fake vendor method ran"'))
        .map((line) => JSON.parse(line) as MethodRun),
    );

  beforeAll(async () => {
    sim = await startAcmeSim();
    cluster = await startSplitMode({
      env: {
        GALVANIC_DEFAULT__DEBUG: 'true',
        GALVANIC_DEFAULT__DRIVER_PACKAGES: 'acme-galvanic-driver',
        GALVANIC_DEFAULT__ENABLED_HARDWARE_TYPES: 'fake-hardware,acme-hardware',
        GALVANIC_FAKE__INSPECT_DELAY: '30',
        GALVANIC_FAKE__VENDOR_DELAY: '0.02',
        // Frequent retries: a conductor's waiters poll a lock the other conductor holds.
        GALVANIC_CONDUCTOR__NODE_LOCKED_RETRY_ATTEMPTS: '20',
        GALVANIC_CONDUCTOR__NODE_LOCKED_RETRY_INTERVAL: '0.05',
      },
    });
    apiUrl = cluster.apiUrl;
    uuid = (
      (await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'vendor-1' })).body as {
        uuid: string;
      }
    ).uuid;
  });

  afterAll(async () => {
    await cluster?.stop();
    await sim?.close();
  });

  it.each([
    '54-get-node-vendor-methods.json',
    '56-post-node-passthru-sync.json',
    '57-post-node-passthru-sync-false.json',
    '59-post-node-passthru-unknown-method.json',
    '60-get-node-passthru-wrong-http-method.json',
    '61-post-node-passthru-missing-arg.json',
    '62-post-node-passthru-no-method.json',
  ])('%s answers as recorded', async (name) => {
    const { sample, result } = await replay(name);
    expect(result.status).toBe(sample.response.status);
    // Ironic writes errors raised in its conductor without spaces in the inner JSON; compare
    // what they say, not how they are spaced.
    if (sample.response.status >= 400)
      expect(innerError(result.body)).toEqual(innerError(sample.response.body));
    else expect(result.body).toEqual(sample.response.body);
  });

  it.each(['55-post-node-passthru-async.json', '58-post-node-passthru-shared-lock.json'])(
    '%s answers 202 with an empty body, then runs',
    async (name) => {
      const { result } = await replay(name);
      expect(result.status).toBe(202);
      expect(result.text).toBe('');
      const method = name.includes('shared') ? 'fourth_method_shared_lock' : 'second_method';
      await expect
        .poll(() => runs().some((run) => run.method === method && run.node === uuid))
        .toBe(true);
    },
  );

  it.each([
    '20-get-driver-fake-hardware-vendor-methods.json',
    '21-post-driver-vendor-passthru-no-driver-method.json',
  ])('%s answers as recorded', async (name) => {
    const { sample, result } = await replay(name);
    expect(result.status).toBe(sample.response.status);
    if (sample.response.status >= 400)
      expect(innerError(result.body)).toEqual(innerError(sample.response.body));
    else expect(result.body).toEqual(sample.response.body);
  });

  it('a shared-lock method runs while the node is locked exclusively; an exclusive one gets 409 (sample 76)', async () => {
    await api('PUT', `/v1/nodes/${uuid}/states/provision`, { target: 'manage' });
    await expect
      .poll(
        async () =>
          ((await api('GET', `/v1/nodes/${uuid}`)).body as { provision_state: string })
            .provision_state,
      )
      .toBe('manageable');
    expect(
      (await api('PUT', `/v1/nodes/${uuid}/states/provision`, { target: 'inspect' })).status,
    ).toBe(202);
    const holder = ((await api('GET', `/v1/nodes/${uuid}`)).body as { reservation: string })
      .reservation;
    expect(holder).toMatch(/^c[12]$/);
    const before = runs().filter((r) => r.method === 'fourth_method_shared_lock').length;
    expect(
      (
        await api('POST', `/v1/nodes/${uuid}/vendor_passthru?method=fourth_method_shared_lock`, {
          bar: 'woof',
        })
      ).status,
    ).toBe(202);
    await expect
      .poll(() => runs().filter((r) => r.method === 'fourth_method_shared_lock').length)
      .toBe(before + 1);
    const { sample, result } = await replay('76-post-node-passthru-locked.json');
    expect(result.status).toBe(409);
    expect(innerError(result.body).faultstring).toBe(
      String(innerError(sample.response.body).faultstring)
        .replace('8f2f8362-943f-40e1-a078-3e975cd20654', uuid)
        .replace('anchor-conductor', holder),
    );
  });

  it('driver passthru proceeds while every node is locked, on any conductor with the type', async () => {
    const result = await api(
      'POST',
      '/v1/drivers/acme-hardware/vendor_passthru?method=list_chassis',
      { acme_address: sim.url },
    );
    expect(result.status).toBe(200);
    expect(Array.isArray(result.body) || typeof result.body === 'object').toBe(true);
    const methods = await api('GET', '/v1/drivers/acme-hardware/vendor_passthru/methods');
    expect(Object.keys(methods.body as object)).toContain('list_chassis');
  });

  it('the driver raising is a 500 with its message and no stack trace', async () => {
    const result = await api(
      'POST',
      '/v1/drivers/acme-hardware/vendor_passthru?method=list_chassis',
      { acme_address: 'http://127.0.0.1:1' },
    );
    expect(result.status).toBe(500);
    const error = innerError(result.body);
    expect(error.faultcode).toBe('Server');
    expect(String(error.faultstring)).toMatch(/^Acme controller call failed/);
    expect(String(error.faultstring)).not.toMatch(/\n\s+at /);
  });

  it('50 exclusive calls on one node, through the api and straight to both conductors: the owner runs them one at a time, the other refuses them', async () => {
    const node = (await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'overlap-1' }))
      .body as { uuid: string };
    const owner = ((await api('GET', '/v1/nodes/overlap-1')).body as { conductor: string })
      .conductor;
    const transport = new AmqpTransport({
      url: TEST_AMQP_URL,
      namespace: cluster.namespace,
      logger: silentLogger(),
      messageKey: Buffer.from(TEST_RPC_MESSAGE_KEY),
    });
    const rpc = new RpcClient({
      transport: transport.client(),
      caller: 'test',
      logger: silentLogger(),
      contractVersion: CONDUCTOR_CONTRACT_VERSION,
    });
    const [{ id: nodeId }] = (await queryDatabase<{ id: number }>(
      cluster.database.url,
      'SELECT id FROM nodes WHERE uuid = $1',
      [node.uuid],
    )) as [{ id: number }];
    try {
      // Five clients, ten calls each: contention with every call a few places from the lock.
      const callAt = async (i: number) => {
        if (i % 2 === 0) {
          const result = await api(
            'POST',
            '/v1/nodes/overlap-1/vendor_passthru?method=third_method_sync',
            { bar: 'meow' },
          );
          return result.status;
        }
        const host = i % 4 === 1 ? 'c1' : 'c2';
        try {
          await rpc.call(host, nodeVendorPassthruMethod, {
            node_id: nodeId,
            node_uuid: node.uuid,
            driver: 'fake-hardware',
            vendor_interface: 'fake',
            method: 'third_method_sync',
            http_method: 'POST',
            body: { bar: 'meow' },
          });
          return 200;
        } catch (error) {
          const { status, kind } = error as { status?: number; kind?: string };
          // The conductor that does not own the node refuses the call, running nothing.
          if (host !== owner && kind === 'NodeOwnerChanged') return 'refused';
          return status ?? 0;
        }
      };
      const outcomes = (
        await Promise.all(
          Array.from({ length: 5 }, async (_, client) => {
            const statuses: (number | 'refused')[] = [];
            for (let call = 0; call < 10; call += 1)
              statuses.push(await callAt(client * 10 + call));
            return statuses;
          }),
        )
      ).flat();
      expect(
        outcomes.every((status) => status === 200 || status === 409 || status === 'refused'),
        JSON.stringify(outcomes),
      ).toBe(true);
      expect(outcomes.filter((status) => status === 'refused').length).toBeGreaterThan(0);
      const ran = runs()
        .filter((run) => run.node === node.uuid)
        .sort((a, b) => a.entered_us - b.entered_us);
      expect(ran.length).toBe(outcomes.filter((status) => status === 200).length);
      expect(ran.length).toBeGreaterThan(5);
      expect(new Set(ran.map((run) => run.host)), JSON.stringify(outcomes)).toEqual(
        new Set([owner]),
      );
      for (let i = 1; i < ran.length; i += 1) {
        expect(
          ran[i]!.entered_us,
          `run ${i} entered before run ${i - 1} left`,
        ).toBeGreaterThanOrEqual(ran[i - 1]!.left_us);
      }
    } finally {
      await rpc.close();
      await transport.close();
    }
  });
});
