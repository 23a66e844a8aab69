import { readFileSync } from 'node:fs';
import { startSplitMode, type ServiceProcess } from '@galvanic/testing';
import { httpClient } from './http-client';
import { nextSyncPasses, sleep } from './power-fleet';
import { measure, runBatch } from './stats';

const CONDUCTORS = ['scale-c1', 'scale-c2', 'scale-c3', 'scale-c4'];
const LIST_LIMIT = 1000;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);

/** A process's resident memory now, in MB (from /proc: Linux only). */
function rssMb(process: ServiceProcess): number {
  const status = readFileSync(`/proc/${process.child.pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** Samples the peak RSS of each process every 50 ms until `stop()`. */
function peakRss(processes: Record<string, ServiceProcess>) {
  const peaks: Record<string, number> = {};
  const sample = () => {
    for (const [name, process] of Object.entries(processes)) {
      peaks[name] = Math.max(peaks[name] ?? 0, rssMb(process));
    }
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peaks;
    },
  };
}

/**
 * `pnpm bench scale`: `nodes` fake-hardware nodes (10,000 by default, BENCH_SCALE_NODES) on four
 * conductors in split mode over RabbitMQ: how long creating them takes, one power-state sync pass
 * across the conductors (the slowest conductor's pass), `GET /v1/nodes?detail=true&limit=1000`,
 * and the services' RSS at rest and during the sync.
 */
export async function scaleBenchmarks(
  nodes = Number(process.env.BENCH_SCALE_NODES ?? 10_000),
): Promise<Record<string, unknown>> {
  const cluster = await startSplitMode({
    conductors: CONDUCTORS,
    databasePrefix: 'galvanic_bench',
    env: {
      GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL: '5',
      GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: '30',
      GALVANIC_API__CONDUCTOR_REFRESH_INTERVAL: '5',
      // Passes start 30 s apart (each pass's log line gives its duration and node count), so the
      // list is measured while the conductors are idle.
      GALVANIC_CONDUCTOR__SYNC_POWER_STATE_INTERVAL: '30',
      GALVANIC_CONDUCTOR__SYNC_POWER_STATE_WORKERS: '32',
      GALVANIC_FAKE__POWER_DELAY: '0',
    },
  });
  const client = httpClient(cluster.apiUrl, 32, {
    'X-OpenStack-Ironic-API-Version': '1.82',
    'Content-Type': 'application/json',
  });
  const conductors = [...cluster.conductors.values()];
  const processes = {
    api: cluster.api,
    ...Object.fromEntries(CONDUCTORS.map((host) => [host, cluster.conductors.get(host)!])),
  };
  try {
    let created = 0;
    const create = await runBatch(nodes, 16, async () => {
      const n = created++;
      const { status } = await client.request('POST', '/v1/nodes', {
        driver: 'fake-hardware',
        name: `scale-${n}`,
      });
      if (status !== 201) throw new Error(`create answered ${status}`);
    });
    const sync = peakRss(processes);
    const syncPass = await nextSyncPasses(conductors, 180_000);
    const rssDuringSync = sync.stop();
    await sleep(1000);
    const rssAtRest = Object.fromEntries(
      Object.entries(processes).map(([name, process]) => [name, rssMb(process)]),
    );
    const list = await measure(
      () => client.expect('GET', `/v1/nodes?detail=true&limit=${LIST_LIMIT}`, 200),
      1,
      DURATION_MS,
    );
    return {
      nodes,
      conductors: CONDUCTORS.length,
      create,
      power_state_sync_pass: syncPass,
      [`list_detail_limit_${LIST_LIMIT}`]: list,
      rss_mb_at_rest: rssAtRest,
      rss_mb_peak_during_sync: rssDuringSync,
    };
  } finally {
    await cluster.stop();
  }
}
