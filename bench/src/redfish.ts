import { Agent as HttpsAgent } from 'node:https';
import { RedfishClient } from 'redfish-ts';
import {
  redfishRequest,
  simulatedBackend,
  startRedfishBmcs,
  type RedfishEmulator,
} from '@galvanic/redfish-emulator/testing';
import type { SplitMode } from '@galvanic/testing';
import {
  createNodes,
  nextSyncPasses,
  powerChangeUntilReported,
  powerOnAllUntilReported,
  sleep,
  startPowerCluster,
  summary,
} from './power-fleet';

const SYSTEMS = Number(process.env.BENCH_REDFISH_SYSTEMS ?? 100);
/** How long the emulated Systems stay PoweringOn / PoweringOff in the power change workload. */
const TRANSITION_MS = 100;

/** Bare HTTPS requests on one keep-alive agent: the floor of what the driver does. */
function bareClient(sockets: number) {
  const agent = new HttpsAgent({ keepAlive: true, maxSockets: sockets });
  const call = async (bmc: RedfishEmulator, method: string, path: string, body?: unknown) => {
    const res = await redfishRequest(bmc, method, path, { agent, ...(body ? { body } : {}) });
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}`);
    return res.json as { PowerState?: string } | undefined;
  };
  return { call, close: () => agent.destroy() };
}

/** Reading one System's PowerState: a new client each time (TLS, session login), and a kept one. */
async function powerStatus(bmc: RedfishEmulator, caPath: string) {
  const path = bmc.systems[0]!.path;
  const options = {
    address: bmc.url,
    username: bmc.credentials.username,
    password: bmc.credentials.password,
    verifyCa: caPath,
  };
  const cold: number[] = [];
  for (let i = 0; i < 30; i += 1) {
    const client = new RedfishClient(options);
    const started = performance.now();
    await client.system(path).get();
    cold.push(performance.now() - started);
    await client.close();
  }
  const client = new RedfishClient(options);
  const system = client.system(path);
  await system.get();
  const warm: number[] = [];
  for (let i = 0; i < 300; i += 1) {
    const started = performance.now();
    await system.get();
    warm.push(performance.now() - started);
  }
  await client.close();
  const bare = bareClient(1);
  await bare.call(bmc, 'GET', path);
  const floor: number[] = [];
  for (let i = 0; i < 300; i += 1) {
    const started = performance.now();
    await bare.call(bmc, 'GET', path);
    floor.push(performance.now() - started);
  }
  bare.close();
  return {
    cold_new_client_and_session: summary(cold),
    warm_session: summary(warm),
    floor_bare_keepalive_get: summary(floor),
  };
}

/** Reset then GETs until the System reports the state, straight to its emulated BMC. */
async function bareUntil(
  bare: ReturnType<typeof bareClient>,
  bmc: RedfishEmulator,
  resetType: string,
  wanted: string,
) {
  const path = bmc.systems[0]!.path;
  await bare.call(bmc, 'POST', `${path}/Actions/ComputerSystem.Reset`, { ResetType: resetType });
  while ((await bare.call(bmc, 'GET', path))?.PowerState !== wanted) await sleep(1);
}

/**
 * The redfish workloads of the Redfish issue against `SYSTEMS` emulated BMCs (one System each, on
 * its own port, over HTTPS), in split mode with two conductors over RabbitMQ; each with the floor
 * of the part measured (the same Redfish requests sent bare to the emulated BMCs).
 */
export async function redfishBenchmarks(): Promise<Record<string, unknown>> {
  const fleet = await startRedfishBmcs(SYSTEMS, { tls: true });
  const { bmcs } = fleet;
  let cluster: SplitMode | undefined;
  try {
    const status = await powerStatus(bmcs[0]!, fleet.caPath!);
    const started = await startPowerCluster({
      GALVANIC_DEFAULT__ENABLED_HARDWARE_TYPES: 'redfish',
    });
    cluster = started.cluster;
    const { client, conductors } = started;
    const uuids = await createNodes(
      client,
      bmcs.map((bmc) => ({
        driver: 'redfish',
        driver_info: {
          redfish_address: bmc.url,
          redfish_system_id: bmc.systems[0]!.path,
          redfish_username: bmc.credentials.username,
          redfish_password: bmc.credentials.password,
          redfish_verify_ca: fleet.caPath,
        },
      })),
    );

    // One node, several times: PUT until the node reports the new state, without and with a
    // transition time on the emulated System; the floor is the same Reset and polls sent bare.
    const bare = bareClient(32);
    const single: Record<string, unknown> = {};
    for (const transitionMs of [0, TRANSITION_MS]) {
      bmcs[0]!.faults.powerTransitionMs = transitionMs;
      bmcs[1]!.faults.powerTransitionMs = transitionMs;
      const samples: number[] = [];
      const floor: number[] = [];
      for (const target of Array.from({ length: 10 }, (_, i) =>
        i % 2 ? 'power off' : 'power on',
      )) {
        samples.push(await powerChangeUntilReported(client, uuids[0]!, target));
        const on = target === 'power on';
        const bareStarted = performance.now();
        await bareUntil(bare, bmcs[1]!, on ? 'On' : 'ForceOff', on ? 'On' : 'Off');
        floor.push(performance.now() - bareStarted);
      }
      single[`transition_${transitionMs}_ms`] = {
        galvanic: summary(samples),
        floor_bare_reset_and_polls: summary(floor),
      };
    }
    for (const bmc of bmcs) bmc.faults.powerTransitionMs = 0;
    for (const bmc of bmcs.slice(1)) simulatedBackend(bmc.systems[0]!).setPowerState('Off');

    const allOnSeconds = await powerOnAllUntilReported(client, uuids);
    for (const bmc of bmcs) simulatedBackend(bmc.systems[0]!).setPowerState('Off');
    const bareAllOn = performance.now();
    await Promise.all(bmcs.map((bmc) => bareUntil(bare, bmc, 'On', 'On')));
    const bareAllOnSeconds = (performance.now() - bareAllOn) / 1000;

    const bareSync = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < bmcs.length) {
          const bmc = bmcs[next++]!;
          await bare.call(bmc, 'GET', bmc.systems[0]!.path);
        }
      }),
    );
    const bareSyncSeconds = (performance.now() - bareSync) / 1000;
    bare.close();

    const syncPass = await nextSyncPasses(conductors);
    client.close();
    return {
      systems: SYSTEMS,
      power_status_one_system: status,
      one_node_power_change_until_reported: single,
      power_on_all_until_reported: {
        nodes: SYSTEMS,
        seconds: Number(allOnSeconds.toFixed(3)),
        floor_bare_seconds: Number(bareAllOnSeconds.toFixed(3)),
      },
      power_state_sync_pass: {
        ...syncPass,
        floor_bare_gets_seconds: Number(bareSyncSeconds.toFixed(3)),
      },
    };
  } finally {
    await cluster?.stop();
    await fleet.close();
  }
}
