import { startSplitMode, type ServiceProcess, type SplitMode } from '@galvanic/testing';
import { httpClient } from './http-client';

/** Median and 99th percentile of a few samples, in milliseconds. */
export function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(3));
  return { n: sorted.length, p50_ms: at(0.5), p99_ms: at(0.99) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ApiClient = ReturnType<typeof httpClient>;

interface SyncPass {
  host: string;
  nodes: number;
  duration_ms: number;
}

/**
 * Split mode with two conductors running a power-state sync pass every 2 s over 32 workers, and
 * an API client: what the driver power workloads measure against. `env` adds driver options.
 */
export async function startPowerCluster(env: Record<string, string>) {
  const cluster: SplitMode = await startSplitMode({
    conductors: ['bench-c1', 'bench-c2'],
    databasePrefix: 'galvanic_bench',
    env: {
      GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL: '5',
      GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: '30',
      // A pass every 2 s; the log of each pass gives its duration.
      GALVANIC_CONDUCTOR__SYNC_POWER_STATE_INTERVAL: '2',
      GALVANIC_CONDUCTOR__SYNC_POWER_STATE_WORKERS: '32',
      ...env,
    },
  });
  const port = new URL(cluster.apiUrl).port;
  const client = httpClient(`http://127.0.0.1:${port}`, 32, {
    'X-OpenStack-Ironic-API-Version': '1.82',
    'Content-Type': 'application/json',
  });
  return { cluster, client, conductors: [...cluster.conductors.values()] };
}

/** Creates one node per body, in order; their UUIDs. */
export async function createNodes(client: ApiClient, bodies: readonly unknown[]) {
  const uuids: string[] = [];
  for (const body of bodies) {
    const created = await client.request('POST', '/v1/nodes', body);
    if (created.status !== 201)
      throw new Error(`create answered ${created.status}: ${created.body}`);
    uuids.push((JSON.parse(created.body) as { uuid: string }).uuid);
  }
  return uuids;
}

async function powerStateOf(client: ApiClient, uuid: string): Promise<string> {
  const shown = await client.request('GET', `/v1/nodes/${uuid}?fields=power_state`);
  return (JSON.parse(shown.body) as { power_state: string }).power_state;
}

/** Milliseconds from `PUT states/power` until the node reports `target`. */
export async function powerChangeUntilReported(client: ApiClient, uuid: string, target: string) {
  const started = performance.now();
  await client.request('PUT', `/v1/nodes/${uuid}/states/power`, { target });
  while ((await powerStateOf(client, uuid)) !== target) await sleep(2);
  return performance.now() - started;
}

/** Seconds from powering on every node at once until all of them report on. */
export async function powerOnAllUntilReported(client: ApiClient, uuids: readonly string[]) {
  const started = performance.now();
  await Promise.all(
    uuids.map((uuid) =>
      client.request('PUT', `/v1/nodes/${uuid}/states/power`, { target: 'power on' }),
    ),
  );
  for (;;) {
    const listed = JSON.parse(
      (await client.request('GET', `/v1/nodes?fields=power_state&limit=${uuids.length}`)).body,
    ) as { nodes: { power_state: string }[] };
    if (listed.nodes.every((n) => n.power_state === 'power on')) break;
    if (performance.now() - started > 120_000) throw new Error('not every node powered on');
    await sleep(5);
  }
  return (performance.now() - started) / 1000;
}

/**
 * The conductors' power-state sync passes once two more have run on each (so the last one
 * covered every node, split by the ring): each conductor's last pass, and the slowest.
 */
export async function nextSyncPasses(conductors: readonly ServiceProcess[], timeoutMs = 20_000) {
  const since = conductors.map((c) => c.output().length);
  const passes = (): SyncPass[][] =>
    conductors.map((c, i) =>
      c
        .output()
        .slice(since[i])
        .split('\n')
        .filter((line) => line.includes('"power state sync pass"'))
        .map((line) => JSON.parse(line) as SyncPass),
    );
  const deadline = performance.now() + timeoutMs;
  while (passes().some((list) => list.length < 2) && performance.now() < deadline) await sleep(100);
  const lastPasses = passes().map((list) => list.at(-1));
  return {
    per_conductor: lastPasses,
    nodes: lastPasses.reduce((sum, pass) => sum + (pass?.nodes ?? 0), 0),
    seconds: Math.max(...lastPasses.map((pass) => pass?.duration_ms ?? 0)) / 1000,
  };
}
