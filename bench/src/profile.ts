import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { startService, startSplitMode } from '@galvanic/testing';
import { httpClient } from './http-client';
import { powerAll } from './nodes';
import { measure, runBatch } from './stats';

/**
 * `pnpm bench:profile <workload>`: runs one API workload against split mode (api and two
 * conductors) started with V8's CPU profiler, and prints each process's hottest functions and
 * files by self time. Workloads: get, detail, create, delete, passthru, power.
 */
const workload = process.argv[2] ?? 'get';
/** The `power` workload: rounds of powering these many nodes on (then off) until all report it. */
const POWER_NODES = 100;
const POWER_ROUNDS = Number(process.env.POWER_ROUNDS ?? 10);
const kind = workload.replace(/^floor-/, '');
const seconds = Number(process.env.PROFILE_SECONDS ?? 5);
const folder = join(process.cwd(), 'bench/profile', workload);
await rm(folder, { recursive: true, force: true });
await mkdir(folder, { recursive: true });

const cluster = await startSplitMode({
  conductors: ['prof-c1', 'prof-c2'],
  databasePrefix: 'galvanic_profile',
  env: {
    NODE_OPTIONS: `--import ${join(process.cwd(), 'bench/src/cpu-profile-preload.mjs')}`,
    GALVANIC_CPU_PROFILE_DIR: folder,
    GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL: '5',
    GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: '30',
    GALVANIC_API__CONDUCTOR_REFRESH_INTERVAL: '5',
    GALVANIC_CONDUCTOR__SYNC_POWER_STATE_INTERVAL: '0',
    GALVANIC_FAKE__POWER_DELAY: '0',
  },
});
// `floor-<workload>`: the same workload against the bare express + pg server on the same table.
const floorServer = workload.startsWith('floor-')
  ? startService('bench/src/bare-api-server.ts', { args: [cluster.database.url, '10'] })
  : undefined;
// However this script ends, nothing it started outlives it (they would hold database sessions).
process.on('exit', () => {
  for (const child of [...cluster.processes, ...(floorServer ? [floorServer] : [])])
    child.kill('SIGKILL');
});
const floorPort = floorServer
  ? /ready (\d+)/.exec(await floorServer.waitFor(/ready \d+/))![1]
  : undefined;
const client = httpClient(floorPort ? `http://127.0.0.1:${floorPort}` : cluster.apiUrl, 32, {
  'X-OpenStack-Ironic-API-Version': '1.82',
  'Content-Type': 'application/json',
});
const uuids: string[] = [];
const create = async () => {
  const { status, body } = await client.request('POST', '/v1/nodes', {
    driver: 'fake-hardware',
    name: `p-${uuids.length}-${Math.random()}`,
  });
  if (status !== 201) throw new Error(`create answered ${status}`);
  uuids.push((JSON.parse(body) as { uuid: string }).uuid);
};
await runBatch(kind === 'detail' ? 1000 : kind === 'power' ? POWER_NODES : 500, 16, create);
if (kind === 'power') {
  // Warm-up rounds, not measured.
  for (let i = 0; i < 4; i += 1) await powerAll(client, uuids, i % 2 ? 'power off' : 'power on');
  const { body } = await client.request('GET', `/v1/nodes?fields=conductor&limit=${POWER_NODES}`);
  const byConductor = new Map<string, number>();
  for (const { conductor } of (JSON.parse(body) as { nodes: { conductor: string }[] }).nodes)
    byConductor.set(conductor, (byConductor.get(conductor) ?? 0) + 1);
  process.stdout.write(`power nodes by conductor: ${JSON.stringify([...byConductor])}\n`);
}
const services = [...cluster.processes, ...(floorServer ? [floorServer] : [])].filter(
  (child) => !/cli\.ts/.test(String(child.child.spawnargs.join(' '))),
);
// The api's workers (node:cluster) are children of the api process.
const workerPids = services.flatMap((child) =>
  spawnSync('pgrep', ['-P', String(child.child.pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number),
);
const profiling = process.env.PROFILE !== '0';
const signalAll = () => {
  if (!profiling) return;
  services.forEach((child) => child.kill('SIGUSR2'));
  workerPids.forEach((pid) => process.kill(pid, 'SIGUSR2'));
};
let next = 0;
const pick = () => uuids[next++ % uuids.length]!;
const duration = seconds * 1000;
const lastCpuMs = new Map<number, number>();
/** utime + stime of a process; a process that has gone keeps its last reading. */
const cpuMs = (pid: number): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    lastCpuMs.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
  } catch {
    // gone
  }
  return lastCpuMs.get(pid) ?? 0;
};
// The database backends serving this cluster run on the same cores: their CPU counts too.
const backendPids = async (): Promise<number[]> => {
  const client = new pg.Client({ connectionString: cluster.database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
};
const backends = await backendPids();
const watched = [...services.map((child) => child.child.pid!), ...workerPids, ...backends];
// What each process burns with no request at all (timers, heartbeats): subtracted below, as it
// weighs on a per-request figure in proportion to the workload's wall time.
const idleStart = watched.map(cpuMs);
const IDLE_MS = 2000;
await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
const idleMsPerSecond = watched.map((pid, i) => ((cpuMs(pid) - idleStart[i]!) * 1000) / IDLE_MS);
process.stdout.write(
  `idle CPU ms per second: ${JSON.stringify(watched.map((pid, i) => [pid, idleMsPerSecond[i]]))}\n`,
);
const cpuBefore = watched.map(cpuMs);
const workloadStarted = performance.now();
signalAll();
setTimeout(() => {
  const port = new URL(cluster.apiUrl).port;
  const ss = spawnSync('ss', ['-tnpH', 'state', 'established', `( sport = :${port} )`], {
    encoding: 'utf8',
  }).stdout;
  const byPid = new Map<string, number>();
  for (const match of ss.matchAll(/pid=(\d+)/g))
    byPid.set(match[1]!, (byPid.get(match[1]!) ?? 0) + 1);
  process.stdout.write(`connections by api worker: ${JSON.stringify([...byPid])}\n`);
}, 1000);
const result =
  kind === 'get'
    ? await measure(() => client.expect('GET', `/v1/nodes/${pick()}`, 200), 16, duration)
    : kind === 'detail'
      ? await measure(() => client.expect('GET', '/v1/nodes/detail?limit=1000', 200), 1, duration)
      : kind === 'create'
        ? await measure(create, 16, duration)
        : kind === 'passthru'
          ? await measure(
              async () => {
                const { status } = await client.request(
                  'POST',
                  `/v1/nodes/${pick()}/vendor_passthru?method=third_method_sync`,
                  { bar: 'meow' },
                );
                if (status !== 200) throw new Error(`passthru answered ${status}`);
              },
              16,
              duration,
            )
          : kind === 'delete'
            ? await runBatch(uuids.length, 16, async () => {
                const { status } = await client.request('DELETE', `/v1/nodes/${pick()}`);
                if (status !== 204) throw new Error(`delete answered ${status}`);
              })
            : kind === 'power'
              ? await powerRounds()
              : undefined;
if (!result) throw new Error(`unknown workload ${workload}`);
const requests =
  'requests' in result ? result.requests : 'items' in result ? result.items : result.nodes;
const workloadSeconds = (performance.now() - workloadStarted) / 1000;
const cpuUsed = watched.map((pid, i) => cpuMs(pid) - cpuBefore[i]!);
const backendsUsed = cpuUsed.slice(watched.length - backends.length).reduce((a, b) => a + b, 0);
const newBackends = (await backendPids()).filter((pid) => !backends.includes(pid)).length;
process.stdout.write(
  `database backends (${backends.length}, ${newBackends} opened since): CPU µs per request ${Math.round((1000 * backendsUsed) / requests)}\n`,
);
process.stdout.write(
  `CPU µs per request: ${JSON.stringify(watched.map((pid, i) => [pid, Math.round((1000 * cpuUsed[i]!) / requests)]))}\n` +
    `CPU µs per request, idle rate taken out: ${JSON.stringify(watched.map((pid, i) => [pid, Math.round((1000 * (cpuUsed[i]! - idleMsPerSecond[i]! * workloadSeconds)) / requests)]))}\n`,
);
signalAll();
for (
  let i = 0;
  profiling && i < 100 && (await readdir(folder)).length < services.length + workerPids.length;
  i += 1
)
  await new Promise((resolve) => setTimeout(resolve, 100));
process.stdout.write(`${JSON.stringify(result)}\n`);
for (const child of cluster.processes) {
  const text = child.output();
  process.stdout.write(
    `-- ${child.child.spawnargs.at(-1)}: ${text.length} bytes of output; last lines:\n${text.split('\n').slice(-4).join('\n').slice(0, 1500)}\n`,
  );
}
client.close();
for (const child of cluster.processes) child.kill('SIGTERM');
await Promise.all(cluster.processes.map((child) => child.exited()));
floorServer?.kill();
await cluster.stop();

/** Alternates power on and off over the nodes; CPU figures are then per node and action. */
async function powerRounds() {
  const rounds: Awaited<ReturnType<typeof powerAll>>[] = [];
  for (let i = 0; i < POWER_ROUNDS; i += 1)
    rounds.push(await powerAll(client, uuids, i % 2 ? 'power off' : 'power on'));
  const seconds = rounds.map((r) => r.seconds_until_all_reported).sort((a, b) => a - b);
  return {
    nodes: POWER_NODES * POWER_ROUNDS,
    rounds: rounds.map((r) => [
      r.seconds_until_all_accepted,
      r.seconds_until_all_reported,
      r.polls,
    ]),
    median_seconds_until_all_reported: seconds[Math.floor(seconds.length / 2)],
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
for (const file of await readdir(folder)) {
  const profile = JSON.parse(await readFile(join(folder, file), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, index) =>
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000),
  );
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url
      .replace(/^.*node_modules\/\.pnpm\/([^/]+)\/.*$/, '$1')
      .replace(process.cwd(), '');
    total += ms;
    const name = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byFile.set(where || frame.functionName, (byFile.get(where || frame.functionName) ?? 0) + ms);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, v]) =>
          `  ${v.toFixed(0).padStart(6)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`,
      )
      .join('\n');
  process.stdout.write(
    `\n== ${file}: ${total.toFixed(0)} ms sampled\n-- files\n${top(byFile, 25)}\n-- functions\n${top(byFunction, 25)}\n`,
  );
}
