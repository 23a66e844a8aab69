import pg from 'pg';
import { startService, TEST_AMQP_URL, uniqueNamespace } from '@galvanic/testing';
import { startSplitMode } from '@galvanic/testing';
import { bareAmqpClient } from './bare-amqp-client';
import { httpClient } from './http-client';
import {
  compare,
  compareWithParts,
  measure,
  measureInTurns,
  runBatch,
  type BatchResult,
  type Compared,
  type WorkloadResult,
} from './stats';

/** Nodes created (and deleted) in the measured runs; the figures are for 5,000. */
const NODES = Number(process.env.BENCH_NODES ?? 5000);
/** Nodes created and deleted before measuring, on both sides: JIT and pool warm-up. */
const WARMUP_NODES = Number(process.env.BENCH_WARMUP_NODES ?? 1000);
const LIST_LIMIT = 1000;
const POWER_NODES = 100;
/** Detailed lists measured with none of their nodes' renderings reusable. */
const COLD_LISTS = 15;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
/** The api's default `[database] max_pool_size`: the floor gets the same pool. */
const POOL_SIZE = 10;

/** Split mode over RabbitMQ with two conductors, on a database of its own. */
async function startBenchSplitMode() {
  return startSplitMode({
    conductors: ['bench-c1', 'bench-c2'],
    databasePrefix: 'galvanic_bench',
    env: {
      GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL: '5',
      GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: '30',
      GALVANIC_API__CONDUCTOR_REFRESH_INTERVAL: '5',
      // Contention is answered at once, so the benchmark measures the 409 itself.
      GALVANIC_CONDUCTOR__NODE_LOCKED_RETRY_ATTEMPTS: '1',
      GALVANIC_CONDUCTOR__SYNC_POWER_STATE_INTERVAL: '0',
      GALVANIC_FAKE__POWER_DELAY: '0',
      // An inspection holds its node's lock long enough to time single 409s against it.
      GALVANIC_FAKE__INSPECT_DELAY: '10',
    },
  });
}

type Client = ReturnType<typeof httpClient>;

/** Creates `count` nodes named `${prefix}-N` through `client`, 16 at a time; returns their UUIDs. */
async function createNodes(
  client: Client,
  prefix: string,
  count: number,
): Promise<{ result: BatchResult; uuids: string[] }> {
  const uuids: string[] = [];
  let created = 0;
  const result = await runBatch(count, 16, async () => {
    const n = created++;
    const { status, body } = await client.request('POST', '/v1/nodes', {
      driver: 'fake-hardware',
      name: `${prefix}-${n}`,
    });
    if (status !== 201) throw new Error(`create answered ${status}`);
    uuids.push((JSON.parse(body) as { uuid: string }).uuid);
  });
  return { result, uuids };
}

/** Deletes `uuids` through `client`, 16 at a time, waiting out a node's lock. */
async function deleteNodes(
  client: Client,
  uuids: readonly string[],
  prefix = '',
): Promise<BatchResult> {
  let deleted = 0;
  return runBatch(uuids.length, 16, async () => {
    const uuid = uuids[deleted++]!;
    for (;;) {
      const { status } = await client.request('DELETE', `${prefix}/v1/nodes/${uuid}`);
      if (status === 204) return;
      if (status !== 409) throw new Error(`delete answered ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

/**
 * The node workloads measured on a real Ironic in the nodes issue, against Galvanic, each beside
 * the floor of its parts measured in the same run: a bare express + pg server on the same table
 * for the HTTP workloads, bare amqplib request/reply for passthru. Passthru and delete also get
 * the floor of every part they cross (bare HTTP and SQL, bare amqplib, a bare conductor taking
 * the node's advisory lock).
 */
export async function nodeBenchmarks(): Promise<Record<string, unknown>> {
  const service = await startBenchSplitMode();
  const conductorQueue = uniqueNamespace('bench-bare-conductor');
  const bareConductor = startService('bench/src/bare-conductor.ts', {
    args: [service.database.url, TEST_AMQP_URL, conductorQueue, String(POOL_SIZE)],
  });
  await bareConductor.waitFor(/ready/);
  const floorServer = startService('bench/src/bare-api-server.ts', {
    args: [service.database.url, String(POOL_SIZE), TEST_AMQP_URL, conductorQueue],
  });
  const floorPort = /ready (\d+)/.exec(await floorServer.waitFor(/ready \d+/))![1];
  const amqpQueue = uniqueNamespace('bench-bare');
  const amqpServer = startService('bench/src/bare-amqp-server.ts', {
    args: [TEST_AMQP_URL, amqpQueue],
  });
  await amqpServer.waitFor(/ready/);
  const amqp = await bareAmqpClient(TEST_AMQP_URL, amqpQueue);
  const headers = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };
  const client = httpClient(service.apiUrl, 32, headers);
  const floor = httpClient(`http://127.0.0.1:${floorPort}`, 32, headers);
  try {
    const warmGalvanic = await createNodes(client, 'warm', WARMUP_NODES);
    const warmFloor = await createNodes(floor, 'floor-warm', WARMUP_NODES);
    const galvanicNodes = await createNodes(client, 'bench', NODES);
    const floorNodes = await createNodes(floor, 'floor', NODES);
    const floorRpcNodes = await createNodes(floor, 'floor-rpc', NODES);
    const uuids = galvanicNodes.uuids;

    const listPath = `/v1/nodes?limit=${LIST_LIMIT}`;
    const detailPath = `/v1/nodes/detail?limit=${LIST_LIMIT}`;
    const list = await measure(() => client.expect('GET', listPath, 200), 1, DURATION_MS);
    // Each comparison takes turns with its floors (measureInTurns): drift hits both alike.
    const [detailGalvanic, detailFloor] = await measureInTurns(
      [() => client.expect('GET', detailPath, 200), () => floor.expect('GET', detailPath, 200)],
      1,
      DURATION_MS,
    );
    const listDetail = compare(detailGalvanic!, detailFloor!);
    const detailCold = await detailAfterEveryNodeWritten(client, service.database.url, detailPath);
    let next = 0;
    let floorNext = 0;
    const [getGalvanic, getFloor] = await measureInTurns(
      [
        () => client.expect('GET', `/v1/nodes/${uuids[next++ % uuids.length]}`, 200),
        () => floor.expect('GET', `/v1/nodes/${uuids[floorNext++ % uuids.length]}`, 200),
      ],
      16,
      DURATION_MS,
    );
    const getOne = compare(getGalvanic!, getFloor!);

    const firstPage = await client.request('GET', `/v1/nodes?fields=uuid&limit=${POWER_NODES}`);
    const powerNodes = (JSON.parse(firstPage.body) as { nodes: { uuid: string }[] }).nodes.map(
      (n) => n.uuid,
    );
    // A first round warms the power path up; the second is the one reported.
    await powerAll(client, powerNodes, 'power on');
    await powerAll(client, powerNodes, 'power off');
    const powerOn = await powerAll(client, powerNodes, 'power on');
    const powerOff = await powerAll(client, powerNodes, 'power off');

    let passthruNext = 0;
    const passthruBody = JSON.stringify({ node: 'n', payload: 'x'.repeat(64) });
    let partsNext = 0;
    const [passthruGalvanic, passthruFloor, passthruParts] = await measureInTurns(
      [
        async () => {
          const uuid = uuids[passthruNext++ % uuids.length]!;
          const { status, body } = await client.request(
            'POST',
            `/v1/nodes/${uuid}/vendor_passthru?method=third_method_sync`,
            { bar: 'meow' },
          );
          if (status !== 200 || body !== 'true')
            throw new Error(`passthru answered ${status} ${body}`);
        },
        () => amqp.call(passthruBody),
        async () => {
          const uuid = floorNodes.uuids[partsNext++ % floorNodes.uuids.length]!;
          const { status } = await floor.request(
            'POST',
            `/via-rpc/v1/nodes/${uuid}/vendor_passthru`,
            { bar: 'meow' },
          );
          if (status !== 200) throw new Error(`floor passthru answered ${status}`);
        },
      ],
      16,
      DURATION_MS,
    );
    const passthru = compareWithParts(passthruGalvanic!, passthruFloor!, passthruParts!);

    const contended = uuids[0]!;
    const outcomes = { accepted: 0, locked: 0, other: 0 };
    const lockedLatency: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const started = performance.now();
        const { status } = await client.request(
          'POST',
          `/v1/nodes/${contended}/vendor_passthru?method=second_method`,
          { bar: 'kazoo' },
        );
        if (status === 202) outcomes.accepted += 1;
        else if (status === 409) {
          outcomes.locked += 1;
          lockedLatency.push(performance.now() - started);
        } else outcomes.other += 1;
      }),
    );
    lockedLatency.sort((a, b) => a - b);

    // One request at a time against a node whose lock an inspection holds: the 409 itself.
    const held = uuids[1]!;
    await client.request('PUT', `/v1/nodes/${held}/states/provision`, { target: 'manage' });
    while (
      JSON.parse((await client.request('GET', `/v1/nodes/${held}?fields=provision_state`)).body)
        .provision_state !== 'manageable'
    ) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await client.request('PUT', `/v1/nodes/${held}/states/provision`, { target: 'inspect' });
    const single: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const started = performance.now();
      const { status } = await client.request(
        'POST',
        `/v1/nodes/${held}/vendor_passthru?method=third_method_sync`,
        { bar: 'meow' },
      );
      if (status === 409) single.push(performance.now() - started);
    }
    single.sort((a, b) => a - b);

    // The inspected node stays locked for a while; it goes with the database.
    await deleteNodes(client, warmGalvanic.uuids);
    await deleteNodes(floor, warmFloor.uuids);
    const remove = compareWithParts(
      await deleteNodes(
        client,
        uuids.filter((uuid) => uuid !== held),
      ),
      await deleteNodes(floor, floorNodes.uuids),
      await deleteNodes(floor, floorRpcNodes.uuids, '/via-rpc'),
    );

    return {
      warmup: { nodes_created_and_deleted_first: WARMUP_NODES },
      create_nodes_concurrency_16: compare(galvanicNodes.result, floorNodes.result),
      list_nodes: { nodes: LIST_LIMIT, ...list },
      list_nodes_detail: { nodes: LIST_LIMIT, ...listDetail },
      list_nodes_detail_every_node_written_before: { nodes: LIST_LIMIT, ...detailCold },
      get_node_concurrency_16: getOne,
      vendor_passthru_sync_concurrency_16: passthru,
      power_on_100_until_all_on: powerOn,
      power_off_100_until_all_off: powerOff,
      locked_node_one_request_at_a_time: {
        requests: single.length,
        retries: 'off (node_locked_retry_attempts = 1)',
        p50_ms: Number((single[Math.floor(single.length / 2)] ?? 0).toFixed(3)),
        p99_ms: Number(
          (single[Math.min(single.length - 1, Math.floor(single.length * 0.99))] ?? 0).toFixed(3),
        ),
      },
      exclusive_contention_20_on_one_node: {
        ...outcomes,
        retries: 'off (node_locked_retry_attempts = 1)',
        locked_p50_ms: Number(
          (lockedLatency[Math.floor(lockedLatency.length / 2)] ?? 0).toFixed(3),
        ),
        locked_max_ms: Number((lockedLatency.at(-1) ?? 0).toFixed(3)),
      },
      delete_nodes_concurrency_16: remove,
    } satisfies Record<string, Compared | WorkloadResult | BatchResult | object>;
  } finally {
    client.close();
    floor.close();
    await amqp.close();
    amqpServer.kill();
    floorServer.kill();
    bareConductor.kill();
    await Promise.all([amqpServer.exited(), floorServer.exited(), bareConductor.exited()]);
    await service.stop();
  }
}

/**
 * The detailed list when none of its nodes' renderings can be reused: before each request every
 * node of the page is written (behind the API's back, so the write costs the list nothing).
 */
async function detailAfterEveryNodeWritten(client: Client, databaseUrl: string, path: string) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const latencies: number[] = [];
  try {
    // Fresh statistics: without them PostgreSQL ran the UPDATE below as a nested loop, for seconds.
    await db.query('ANALYZE nodes');
    for (let i = 0; i < COLD_LISTS; i += 1) {
      await db.query(
        `UPDATE nodes SET extra = extra || jsonb_build_object('bench_written', ${i})
         WHERE id IN (SELECT id FROM nodes WHERE parent_node IS NULL ORDER BY id LIMIT ${LIST_LIMIT})`,
      );
      const started = performance.now();
      await client.expect('GET', path, 200);
      latencies.push(performance.now() - started);
    }
  } finally {
    await db.end();
  }
  latencies.sort((a, b) => a - b);
  return {
    requests: COLD_LISTS,
    p50_ms: Number(latencies[Math.floor(COLD_LISTS / 2)]!.toFixed(3)),
    max_ms: Number(latencies.at(-1)!.toFixed(3)),
  };
}

/** Sends every power request at once, then polls until every node reports the target state. */
export async function powerAll(client: Client, uuids: readonly string[], target: string) {
  const started = performance.now();
  const statuses = await Promise.all(
    uuids.map(
      async (uuid) =>
        (await client.request('PUT', `/v1/nodes/${uuid}/states/power`, { target })).status,
    ),
  );
  const accepted = performance.now();
  const pending = new Set(uuids);
  let polls = 0;
  while (pending.size > 0) {
    polls += 1;
    // The power nodes are the first page sorted by id: one page holds exactly them.
    const { body } = await client.request(
      'GET',
      `/v1/nodes?fields=uuid,power_state&limit=${uuids.length}`,
    );
    for (const node of (JSON.parse(body) as { nodes: { uuid: string; power_state: string }[] })
      .nodes) {
      if (node.power_state === target) pending.delete(node.uuid);
    }
    if (performance.now() - started > 60_000)
      throw new Error(`${pending.size} nodes never reached ${target}`);
  }
  return {
    nodes: uuids.length,
    accepted: statuses.filter((s) => s === 202).length,
    seconds_until_all_accepted: Number(((accepted - started) / 1000).toFixed(3)),
    polls,
    seconds_until_all_reported: Number(((performance.now() - started) / 1000).toFixed(3)),
  };
}
