import { startSplitMode } from '@galvanic/testing';
import { httpClient } from './http-client';
import { measure, runBatch, type BatchResult, type WorkloadResult } from './stats';

const NODES = Number(process.env.BENCH_NODES ?? 500);
const POWER_NODES = 100;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);

/** Split mode over RabbitMQ with two conductors, on a database of its own. */
async function startBenchSplitMode(): Promise<{ url: string; stop: () => Promise<void> }> {
  const cluster = await startSplitMode({
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
  return { url: cluster.apiUrl, stop: () => cluster.stop() };
}

/** The node workloads measured on a real Ironic in the nodes issue, against Galvanic. */
export async function nodeBenchmarks(): Promise<Record<string, unknown>> {
  const service = await startBenchSplitMode();
  const client = httpClient(service.url, 32, {
    'X-OpenStack-Ironic-API-Version': '1.82',
    'Content-Type': 'application/json',
  });
  try {
    const uuids: string[] = [];
    let created = 0;
    const create: BatchResult = await runBatch(NODES, 16, async () => {
      const n = created++;
      const { status, body } = await client.request('POST', '/v1/nodes', {
        driver: 'fake-hardware',
        name: `bench-${n}`,
      });
      if (status !== 201) throw new Error(`create answered ${status}`);
      uuids.push((JSON.parse(body) as { uuid: string }).uuid);
    });

    const list = await measure(
      () => client.expect('GET', `/v1/nodes?limit=${NODES}`, 200),
      1,
      DURATION_MS,
    );
    const listDetail = await measure(
      () => client.expect('GET', `/v1/nodes/detail?limit=${NODES}`, 200),
      1,
      DURATION_MS,
    );
    let next = 0;
    const getOne = await measure(
      () => client.expect('GET', `/v1/nodes/${uuids[next++ % uuids.length]}`, 200),
      16,
      DURATION_MS,
    );

    const firstPage = await client.request('GET', `/v1/nodes?fields=uuid&limit=${POWER_NODES}`);
    const powerNodes = (JSON.parse(firstPage.body) as { nodes: { uuid: string }[] }).nodes.map(
      (n) => n.uuid,
    );
    const powerOn = await powerAll(client, powerNodes, 'power on');
    const powerOff = await powerAll(client, powerNodes, 'power off');

    let passthruNext = 0;
    const passthru = await measure(
      async () => {
        const uuid = uuids[passthruNext++ % uuids.length]!;
        const { status, body } = await client.request(
          'POST',
          `/v1/nodes/${uuid}/vendor_passthru?method=third_method_sync`,
          {
            bar: 'meow',
          },
        );
        if (status !== 200 || body !== 'true')
          throw new Error(`passthru answered ${status} ${body}`);
      },
      16,
      DURATION_MS,
    );

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

    let deleted = 0;
    // The inspected node stays locked for a while; it goes with the database.
    const deletable = uuids.filter((uuid) => uuid !== held);
    const remove = await runBatch(deletable.length, 16, async () => {
      const uuid = deletable[deleted++]!;
      for (;;) {
        const { status } = await client.request('DELETE', `/v1/nodes/${uuid}`);
        if (status === 204) return;
        if (status !== 409) throw new Error(`delete answered ${status}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });

    return {
      create_nodes_concurrency_16: create,
      list_nodes: { nodes: NODES, ...list },
      list_nodes_detail: { nodes: NODES, ...listDetail },
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
    } satisfies Record<string, WorkloadResult | BatchResult | object>;
  } finally {
    client.close();
    await service.stop();
  }
}

/** Sends every power request at once, then polls until every node reports the target state. */
async function powerAll(
  client: ReturnType<typeof httpClient>,
  uuids: readonly string[],
  target: string,
) {
  const started = performance.now();
  const statuses = await Promise.all(
    uuids.map(
      async (uuid) =>
        (await client.request('PUT', `/v1/nodes/${uuid}/states/power`, { target })).status,
    ),
  );
  const pending = new Set(uuids);
  while (pending.size > 0) {
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
    seconds_until_all_reported: Number(((performance.now() - started) / 1000).toFixed(3)),
  };
}
