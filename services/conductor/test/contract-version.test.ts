import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONDUCTOR_CONTRACT_VERSION, validateNodeMethod } from '@galvanic/conductor-api';
import { silentLogger } from '@galvanic/logging';
import { AmqpTransport, RpcClient } from '@galvanic/rpc';
import {
  innerError,
  queryDatabase,
  sendHttp,
  startSplitMode,
  TEST_AMQP_URL,
  TEST_RPC_MESSAGE_KEY,
  type ServiceProcess,
  type SplitMode,
} from '@galvanic/testing';

const HEADERS = { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': 'latest' };
/** Stands in for a conductor of another release: same code, another contract version. */
const OTHER_RELEASE = 'services/conductor/test/fixtures/conductor-of-contract.ts';
const [major, minor] = CONDUCTOR_CONTRACT_VERSION.split('.').map(Number) as [number, number];
const NEWER_MINOR = `${major}.${minor + 5}`;
const OTHER_MAJOR = `${major + 1}.0`;
const NODES = 12;

/** A counter or gauge of a conductor's /metrics, summed over the series that mention `filter`. */
async function metric(conductor: ServiceProcess, name: string, filter = ''): Promise<number> {
  const port = /"status_port":(\d+)/.exec(conductor.output())![1];
  const metrics = await sendHttp(`http://127.0.0.1:${port}`, 'GET', '/metrics');
  let total = 0;
  for (const match of metrics.text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\d+)`, 'gm'))) {
    if ((match[1] ?? '').includes(filter)) total += Number(match[2]);
  }
  return total;
}

describe('conductors of several RPC contract versions in one deployment', () => {
  let cluster: SplitMode;
  let newerMinor: ServiceProcess;
  let otherMajor: ServiceProcess;
  const nodes: string[] = [];

  beforeAll(async () => {
    cluster = await startSplitMode({ conductors: ['c1'] });
    newerMinor = cluster.start(OTHER_RELEASE, {
      GALVANIC_DEFAULT__HOST: 'c-newer-minor',
      GALVANIC_TEST_CONTRACT_VERSION: NEWER_MINOR,
    });
    otherMajor = cluster.start(OTHER_RELEASE, {
      GALVANIC_DEFAULT__HOST: 'c-other-major',
      GALVANIC_TEST_CONTRACT_VERSION: OTHER_MAJOR,
    });
    await Promise.all([newerMinor, otherMajor].map((c) => c.waitFor(/conductor started/)));
    // The api reads the conductor list every 0.5 s in tests: let it see both newcomers.
    await sleep(1_500);
    for (let i = 0; i < NODES; i += 1) {
      const uuid = randomUUID();
      const created = await sendHttp(
        cluster.apiUrl,
        'POST',
        '/v1/nodes',
        HEADERS,
        JSON.stringify({ driver: 'fake-hardware', uuid }),
      );
      expect(created.status).toBe(201);
      nodes.push(uuid);
    }
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('registers the contract version each conductor speaks', async () => {
    const rows = await queryDatabase<{ hostname: string; contract_version: string }>(
      cluster.database.url,
      'SELECT hostname, contract_version FROM conductors ORDER BY hostname',
    );
    expect(rows).toEqual([
      { hostname: 'c-newer-minor', contract_version: NEWER_MINOR },
      { hostname: 'c-other-major', contract_version: OTHER_MAJOR },
      { hostname: 'c1', contract_version: CONDUCTOR_CONTRACT_VERSION },
    ]);
  });

  it('routes node calls to the conductors of its major, a newer minor included, and never to another major', async () => {
    for (const uuid of nodes) {
      const validated = await sendHttp(
        cluster.apiUrl,
        'GET',
        `/v1/nodes/${uuid}/validate`,
        HEADERS,
      );
      expect(validated.status).toBe(200);
    }
    const calls = 'galvanic_rpc_server_calls_total';
    const method = 'method="validate_driver_interfaces"';
    const c1 = await metric(cluster.conductors.get('c1')!, calls, method);
    const newer = await metric(newerMinor, calls, method);
    expect(c1 + newer).toBe(NODES);
    // On a ring of the two, each gets some of 12 nodes but for a 2 in 4096 chance.
    expect(newer).toBeGreaterThan(0);
    expect(c1).toBeGreaterThan(0);
    expect(await metric(otherMajor, calls)).toBe(0);
  });

  it('a conductor of another major refuses a call sent straight to it, unrun and counted', async () => {
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
    try {
      const [row] = await queryDatabase<{ id: number }>(
        cluster.database.url,
        'SELECT id FROM nodes WHERE uuid = $1',
        [nodes[0]],
      );
      const refused = rpc.call('c-other-major', validateNodeMethod, {
        node_id: row!.id,
        node_uuid: nodes[0]!,
      });
      await expect(refused).rejects.toMatchObject({
        kind: 'IncompatibleRpcContract',
        message:
          `Conductor c-other-major speaks RPC contract ${OTHER_MAJOR} and refused a call that ` +
          `uses contract ${CONDUCTOR_CONTRACT_VERSION}: major versions must match; the call was not run.`,
      });
      const refusedCount = 'galvanic_rpc_server_incompatible_contract_refused_total';
      expect(await metric(otherMajor, refusedCount)).toBe(1);
      expect(await metric(otherMajor, 'galvanic_rpc_server_calls_total')).toBe(0);
    } finally {
      await rpc.close();
      await transport.close();
    }
  });

  it('with no conductor of its major left, answers 503 NoValidHost naming the reason', async () => {
    const leaving = [cluster.conductors.get('c1')!, newerMinor];
    for (const conductor of leaving) conductor.kill('SIGTERM');
    await Promise.all(leaving.map((conductor) => conductor.exited()));
    const until = Date.now() + 15_000;
    let answer = await sendHttp(cluster.apiUrl, 'GET', `/v1/nodes/${nodes[0]}/validate`, HEADERS);
    while (answer.status !== 503 && Date.now() < until) {
      await sleep(200);
      answer = await sendHttp(cluster.apiUrl, 'GET', `/v1/nodes/${nodes[0]}/validate`, HEADERS);
    }
    expect(answer.status).toBe(503);
    expect(innerError(answer.body).faultstring).toBe(
      'No valid host was found. Reason: No conductor service registered which supports driver ' +
        `fake-hardware for conductor group "". Live conductors that speak another RPC contract ` +
        `than ${major}.x (this service's ${CONDUCTOR_CONTRACT_VERSION}) get no calls: ` +
        `c-other-major (${OTHER_MAJOR}).`,
    );
  });
});
