import { IpmiClient } from 'ipmi-ts';
import { SIM_PASSWORD, SIM_USER, startSims } from 'ipmi-ts/testing';
import type { SplitMode } from '@galvanic/testing';
import {
  createNodes,
  nextSyncPasses,
  powerChangeUntilReported,
  powerOnAllUntilReported,
  startPowerCluster,
  summary,
} from './power-fleet';

const BMCS = Number(process.env.BENCH_IPMI_BMCS ?? 100);

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

/**
 * The ipmi workloads of the IPMI issue, against `BMCS` OpenIPMI ipmi_sim BMCs, in split mode with
 * two conductors over RabbitMQ: one node's power change, 100 at once, and a power-state sync pass.
 */
export async function ipmiBenchmarks(): Promise<Record<string, unknown>> {
  const fleet = await startSims(BMCS);
  let cluster: SplitMode | undefined;
  try {
    const status = await powerStatus(fleet.sims[0]!.port);
    const started = await startPowerCluster({
      // The lab setting, as Ironic's best figures used: BMCs on loopback need no spacing.
      GALVANIC_IPMI__MIN_COMMAND_INTERVAL: '0.01',
      GALVANIC_IPMI__POWER_STATE_POLL_INTERVAL: '0.01',
    });
    cluster = started.cluster;
    const { client, conductors } = started;
    const uuids = await createNodes(
      client,
      fleet.sims.map((sim) => ({
        driver: 'ipmi',
        driver_info: {
          ipmi_address: '127.0.0.1',
          ipmi_port: sim.port,
          ipmi_username: SIM_USER,
          ipmi_password: SIM_PASSWORD,
        },
      })),
    );

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
      single.push(await powerChangeUntilReported(client, uuids[0]!, target));
    }

    const allOnSeconds = await powerOnAllUntilReported(client, uuids);
    const syncPass = await nextSyncPasses(conductors);
    client.close();
    return {
      bmcs: BMCS,
      power_status_one_bmc: status,
      one_node_power_change_until_reported: summary(single),
      power_on_all_until_reported: { nodes: BMCS, seconds: Number(allOnSeconds.toFixed(3)) },
      power_state_sync_pass: syncPass,
    };
  } finally {
    await cluster?.stop();
    fleet.stop();
  }
}
