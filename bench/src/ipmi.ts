import { IpmiClient } from 'ipmi-ts';
import { SIM_PASSWORD, SIM_USER, startSims } from 'ipmi-ts/testing';
import { startSplitMode, type SplitMode } from '@galvanic/testing';
import { httpClient } from './http-client';

const BMCS = Number(process.env.BENCH_IPMI_BMCS ?? 100);

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(3));
  return { n: sorted.length, p50_ms: at(0.5), p99_ms: at(0.99) };
}

/** `chassis power status` of one BMC: a new session each time, and on a kept session. */
async function powerStatus(port: number) {
  const opts = { host: '127.0.0.1', port, username: SIM_USER, password: SIM_PASSWORD };
  const cold: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    const client = new IpmiClient();
    const started = performance.now();
    await client.bmc(opts).getPowerState();
    cold.push(performance.now() - started);
    await client.close();
  }
  const client = new IpmiClient();
  const bmc = client.bmc(opts);
  await bmc.getPowerState();
  const warm: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    const started = performance.now();
    await bmc.getPowerState();
    warm.push(performance.now() - started);
  }
  await client.close();
  return { cold_new_session: summary(cold), warm_session: summary(warm) };
}

interface SyncPass {
  host: string;
  nodes: number;
  duration_ms: number;
}

/**
 * The ipmi workloads of the IPMI issue, against `BMCS` OpenIPMI ipmi_sim BMCs, in split mode with
 * two conductors over RabbitMQ: one node's power change, 100 at once, and a power-state sync pass.
 */
export async function ipmiBenchmarks(): Promise<Record<string, unknown>> {
  const fleet = await startSims(BMCS);
  let cluster: SplitMode | undefined;
  try {
    const status = await powerStatus(fleet.sims[0]!.port);
    cluster = await startSplitMode({
      conductors: ['bench-c1', 'bench-c2'],
      databasePrefix: 'galvanic_bench',
      env: {
        GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL: '5',
        GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: '30',
        // A pass every 2 s; the log of each pass gives its duration.
        GALVANIC_CONDUCTOR__SYNC_POWER_STATE_INTERVAL: '2',
        GALVANIC_CONDUCTOR__SYNC_POWER_STATE_WORKERS: '32',
        // The lab setting, as Ironic's best figures used: BMCs on loopback need no spacing.
        GALVANIC_IPMI__MIN_COMMAND_INTERVAL: '0.01',
        GALVANIC_IPMI__POWER_STATE_POLL_INTERVAL: '0.01',
      },
    });
    const conductors = [...cluster.conductors.values()];
    const port = new URL(cluster.apiUrl).port;
    const client = httpClient(`http://127.0.0.1:${port}`, 32, {
      'X-OpenStack-Ironic-API-Version': '1.82',
      'Content-Type': 'application/json',
    });
    const uuids: string[] = [];
    for (const sim of fleet.sims) {
      const created = await client.request('POST', '/v1/nodes', {
        driver: 'ipmi',
        driver_info: {
          ipmi_address: '127.0.0.1',
          ipmi_port: sim.port,
          ipmi_username: SIM_USER,
          ipmi_password: SIM_PASSWORD,
        },
      });
      if (created.status !== 201)
        throw new Error(`create answered ${created.status}: ${created.body}`);
      uuids.push((JSON.parse(created.body) as { uuid: string }).uuid);
    }
    const powerState = async (uuid: string) =>
      (
        JSON.parse((await client.request('GET', `/v1/nodes/${uuid}?fields=power_state`)).body) as {
          power_state: string;
        }
      ).power_state;

    // One node, several times: PUT until the node reports the new state.
    const single: number[] = [];
    for (const target of [
      'power on',
      'power off',
      'power on',
      'power off',
      'power on',
      'power off',
    ]) {
      const started = performance.now();
      await client.request('PUT', `/v1/nodes/${uuids[0]}/states/power`, { target });
      while ((await powerState(uuids[0]!)) !== target)
        await new Promise((resolve) => setTimeout(resolve, 2));
      single.push(performance.now() - started);
    }

    const allOn = performance.now();
    await Promise.all(
      uuids.map((uuid) =>
        client.request('PUT', `/v1/nodes/${uuid}/states/power`, { target: 'power on' }),
      ),
    );
    for (;;) {
      const listed = JSON.parse(
        (await client.request('GET', `/v1/nodes?fields=power_state&limit=${BMCS}`)).body,
      ) as {
        nodes: { power_state: string }[];
      };
      if (listed.nodes.every((n) => n.power_state === 'power on')) break;
      if (performance.now() - allOn > 120_000) throw new Error('not every BMC powered on');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const allOnSeconds = (performance.now() - allOn) / 1000;

    // The next sync passes after everything is on cover all the nodes, split by the ring.
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
    const deadline = performance.now() + 20_000;
    while (passes().some((list) => list.length < 2) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const lastPasses = passes().map((list) => list.at(-1));
    client.close();
    return {
      bmcs: BMCS,
      power_status_one_bmc: status,
      one_node_power_change_until_reported: summary(single),
      power_on_all_until_reported: { nodes: BMCS, seconds: Number(allOnSeconds.toFixed(3)) },
      power_state_sync_pass: {
        per_conductor: lastPasses,
        nodes: lastPasses.reduce((sum, pass) => sum + (pass?.nodes ?? 0), 0),
        seconds: Math.max(...lastPasses.map((pass) => pass?.duration_ms ?? 0)) / 1000,
      },
    };
  } finally {
    await cluster?.stop();
    fleet.stop();
  }
}
