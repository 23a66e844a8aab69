import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baremetal,
  baremetalQuiet,
  loadSample,
  sendHttp,
  startSplitMode,
  type SplitMode,
} from '@galvanic/testing';
import { SIM_PASSWORD, SIM_USER, startSims, type SimFleet } from 'ipmi-ts/testing';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };

describe('the ipmi hardware type against OpenIPMI ipmi_sim BMCs, driven by the baremetal CLI', () => {
  let cluster: SplitMode;
  let fleet: SimFleet;
  let apiUrl: string;
  const cli = (...args: string[]) => baremetal(apiUrl, ...args);
  const quiet = (...args: string[]) => baremetalQuiet(apiUrl, ...args);
  const api = (method: string, path: string, body?: unknown) =>
    sendHttp(apiUrl, method, path, HEADERS, body === undefined ? undefined : JSON.stringify(body));
  const powerOf = async (name: string) =>
    ((await api('GET', `/v1/nodes/${name}`)).body as { power_state: string | null }).power_state;

  beforeAll(async () => {
    fleet = await startSims(3);
    cluster = await startSplitMode({ env: { GALVANIC_DEFAULT__DEBUG: 'true' } });
    apiUrl = cluster.apiUrl;
    for (const [i, sim] of fleet.sims.entries()) {
      await cli(
        'node',
        'create',
        '--driver',
        'ipmi',
        '--name',
        `bmc-${i}`,
        '--driver-info',
        'ipmi_address=127.0.0.1',
        '--driver-info',
        `ipmi_port=${sim.port}`,
        '--driver-info',
        `ipmi_username=${SIM_USER}`,
        '--driver-info',
        `ipmi_password=${SIM_PASSWORD}`,
      );
    }
  });

  afterAll(async () => {
    await cluster?.stop();
    fleet?.stop();
  });

  it('lists the properties Ironic lists for ipmi', async () => {
    const listed = (await cli('driver', 'property', 'list', 'ipmi')) as { Property: string }[];
    const recorded = Object.keys(
      loadSample('18-get-driver-ipmi-properties.json').response.body as object,
    );
    expect(listed.map((row) => row.Property).sort()).toEqual(
      expect.arrayContaining(recorded.filter((k) => k.startsWith('ipmi_')).sort()),
    );
  });

  it('node power on / off reach the BMC, and ipmitool sees it', async () => {
    const sim = fleet.sims[0]!;
    await quiet('node', 'power', 'on', 'bmc-0');
    await expect.poll(() => powerOf('bmc-0'), { timeout: 15_000 }).toBe('power on');
    expect(sim.ipmitool(['chassis', 'power', 'status'])).toMatch(/Chassis Power is on/);
    await quiet('node', 'power', 'off', 'bmc-0');
    await expect.poll(() => powerOf('bmc-0'), { timeout: 15_000 }).toBe('power off');
    expect(sim.ipmitool(['chassis', 'power', 'status'])).toMatch(/Chassis Power is off/);
  });

  it('several nodes power on at once', async () => {
    await Promise.all(fleet.sims.map((_, i) => quiet('node', 'power', 'on', `bmc-${i}`)));
    await expect
      .poll(async () => Promise.all(fleet.sims.map((_, i) => powerOf(`bmc-${i}`))), {
        timeout: 15_000,
      })
      .toEqual(['power on', 'power on', 'power on']);
    for (const sim of fleet.sims)
      expect(sim.ipmitool(['chassis', 'power', 'status'])).toMatch(/is on/);
  });

  it('node boot device set pxe reaches the BMC; what ipmitool sets, Galvanic reads', async () => {
    const sim = fleet.sims[1]!;
    await quiet('node', 'boot', 'device', 'set', 'bmc-1', 'pxe');
    expect(sim.ipmitool(['chassis', 'bootparam', 'get', '5'])).toMatch(/Force PXE/);
    sim.ipmitool(['chassis', 'bootdev', 'disk']);
    expect(await cli('node', 'boot', 'device', 'show', 'bmc-1')).toMatchObject({
      boot_device: 'disk',
    });
  });

  it('node passthru call send_raw runs the raw command on the BMC', async () => {
    const methods = (await cli('node', 'passthru', 'list', 'bmc-2')) as { Name: string }[];
    expect(methods.map((m) => m.Name).sort()).toEqual(['bmc_reset', 'send_raw']);
    await quiet('node', 'passthru', 'call', 'bmc-2', 'send_raw', '--arg', 'raw_bytes=0x06 0x01');
    // Async, as in Ironic: the answer is in the conductor's log, with the node and request id.
    await expect
      .poll(
        () =>
          cluster.processes.some((p) =>
            p
              .output()
              .split('\n')
              .some((line) => line.includes('send_raw') && line.includes('"completion_code"')),
          ),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
  });

  it('validate reports power and management good, and what deploying would still need', async () => {
    const result = Object.fromEntries(
      (
        (await cli('node', 'validate', 'bmc-0')) as {
          Interface: string;
          Result: boolean;
          Reason: string;
        }[]
      ).map((r) => [r.Interface, r]),
    );
    expect(result.power!.Result).toBe(true);
    expect(result.management!.Result).toBe(true);
    expect(result.boot!.Result).toBe(false);
    expect(result.boot!.Reason).toMatch(/does not have any port associated with it/);
  });

  it('shows the BMC password masked', async () => {
    const shown = (await cli('node', 'show', 'bmc-0')) as { driver_info: Record<string, unknown> };
    expect(shown.driver_info.ipmi_password).toBe('******');
  });
});
