import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInterface, makeEnvironment, makeTask } from '@galvanic/driver-sdk/testing';
import type { NodeView } from '@galvanic/driver-sdk';
import {
  closeSharedIpmiClient,
  IPMIFailure,
  IpmiManagement,
  IpmiPower,
  IpmiVendor,
  PowerStateFailure,
  sharedIpmiClient,
} from '../src';
import {
  freeUdpPort,
  ipmitoolBootDevice,
  ipmitoolPower,
  obeySoftOff,
  simNode,
  startSims,
  type IpmiSim,
  type SimFleet,
} from './support';

const options = { ipmi: { power_state_poll_interval: 0.02, min_command_interval: 0.01 } };
const power = buildInterface(IpmiPower, options);
const management = buildInterface(IpmiManagement, options);
const vendor = buildInterface(IpmiVendor, options);

let fleet: SimFleet;
const sim = (i: number): IpmiSim => {
  const found = fleet.sims[i];
  if (!found) throw new Error(`no sim ${i}`);
  return found;
};
const failure = (attempt: Promise<unknown>): Promise<Error> =>
  attempt.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as Error,
  );
const taskOn = (node: NodeView, signal?: AbortSignal) =>
  makeTask({ driverName: 'ipmi', node, signal });

beforeAll(async () => {
  fleet = await startSims(5);
});
afterAll(async () => {
  await closeSharedIpmiClient();
  fleet?.stop();
});

describe('IpmiPower against ipmi_sim', () => {
  it('powers on and off, each resolving once the BMC reports it; ipmitool agrees', async () => {
    const bmc = sim(0);
    const task = taskOn(simNode(bmc));
    await expect(power.getPowerState(task)).resolves.toBe('power off');

    await power.setPowerState(task, 'power on', { timeout: 5 });
    expect(bmc.state().power).toBe('1');
    expect(ipmitoolPower(bmc)).toBe('on');
    await expect(power.getPowerState(task)).resolves.toBe('power on');

    await power.setPowerState(task, 'power off', { timeout: 5 });
    expect(bmc.state().power).toBe('0');
    expect(ipmitoolPower(bmc)).toBe('off');
    await expect(power.getPowerState(task)).resolves.toBe('power off');
  });

  it('reads what ipmitool set', async () => {
    const bmc = sim(0);
    const task = taskOn(simNode(bmc));
    bmc.ipmitool(['chassis', 'power', 'on']);
    await expect(power.getPowerState(task)).resolves.toBe('power on');
    bmc.ipmitool(['chassis', 'power', 'off']);
    await expect(power.getPowerState(task)).resolves.toBe('power off');
  });

  it('reboots as Ironic does: off then on when on, just on when off', async () => {
    const bmc = sim(0);
    const task = taskOn(simNode(bmc));
    const before = bmc.state().log.length;
    await power.reboot(task, { timeout: 5 });
    expect(bmc.state().log.slice(before)).toEqual(['power 1']);

    const again = bmc.state().log.length;
    await power.reboot(task, { timeout: 5 });
    expect(bmc.state().log.slice(again)).toEqual(['power 0', 'power 1']);
    expect(ipmitoolPower(bmc)).toBe('on');

    const viaState = bmc.state().log.length;
    await power.setPowerState(task, 'rebooting', { timeout: 5 });
    expect(bmc.state().log.slice(viaState)).toEqual(['power 0', 'power 1']);
  });

  it('soft powers off, waiting until the operating system turned the power off', async () => {
    const bmc = sim(0);
    const task = taskOn(simNode(bmc));
    await power.setPowerState(task, 'power on', { timeout: 5 });
    const stop = obeySoftOff(bmc, 150);
    try {
      const started = performance.now();
      await power.setPowerState(task, 'soft power off', { timeout: 5 });
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      stop();
    }
    expect(ipmitoolPower(bmc)).toBe('off');

    await power.setPowerState(task, 'power on', { timeout: 5 });
    const guest = obeySoftOff(bmc, 50);
    const before = bmc.state().log.length;
    try {
      await power.setPowerState(task, 'soft rebooting', { timeout: 5 });
    } finally {
      guest();
    }
    expect(bmc.state().log.slice(before)).toEqual(['shutdown 1', 'power 1']);
    expect(ipmitoolPower(bmc)).toBe('on');
  });

  it('fails with PowerStateFailure when the BMC does not report the state in time', async () => {
    const bmc = sim(0);
    const task = taskOn(simNode(bmc));
    await power.setPowerState(task, 'power on', { timeout: 5 });
    const started = performance.now();
    const attempt = power.setPowerState(task, 'soft power off', { timeout: 0.3 });
    await expect(attempt).rejects.toThrow(PowerStateFailure);
    await expect(attempt).rejects.toThrow(
      'Failed to set node power state to soft power off: the BMC still reported power on 0.3 seconds after chassis power soft.',
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("stops waiting when the task's signal aborts", async () => {
    const bmc = sim(0);
    bmc.setState('power', '1');
    const controller = new AbortController();
    const task = taskOn(simNode(bmc), controller.signal);
    setTimeout(() => controller.abort(new Error('caller gave up')), 100);
    await expect(power.setPowerState(task, 'soft power off', { timeout: 10 })).rejects.toThrow(
      'caller gave up',
    );
  });

  it('refuses a state it cannot set', async () => {
    await expect(power.setPowerState(taskOn(simNode(sim(0))), 'error')).rejects.toThrow(
      'The ipmitool power interface cannot set power state error.',
    );
    expect(power.getSupportedPowerStates()).toEqual([
      'power on',
      'power off',
      'rebooting',
      'soft power off',
      'soft rebooting',
    ]);
  });

  it('speaks IPMI 1.5, and cipher suite 0 when the conductor allows it', async () => {
    const bmc = sim(1);
    bmc.setState('power', '1');
    const v15 = taskOn(simNode(bmc, { ipmi_protocol_version: '1.5' }));
    await expect(power.getPowerState(v15)).resolves.toBe('power on');
    const permissive = buildInterface(IpmiPower, {
      ipmi: { ...options.ipmi, allow_cipher_suite_zero: true },
    });
    const zero = taskOn(simNode(bmc, { ipmi_cipher_suite: 0, ipmi_password: 'anything' }));
    await expect(permissive.getPowerState(zero)).resolves.toBe('power on');
    bmc.setState('power', '0');
  });
});

describe('IpmiManagement against ipmi_sim', () => {
  it('sets pxe and disk, as ipmitool reads them back', async () => {
    const bmc = sim(2);
    const node = simNode(bmc);
    await management.setBootDevice(taskOn(node), 'pxe', false);
    expect(bmc.state().boot).toBe('pxe');
    expect(ipmitoolBootDevice(bmc)).toBe('Force PXE');
    await expect(management.getBootDevice(taskOn(node))).resolves.toEqual({
      boot_device: 'pxe',
      persistent: false,
    });

    await management.setBootDevice(taskOn(node), 'disk', true);
    expect(ipmitoolBootDevice(bmc)).toBe('Force Boot from default Hard-Drive');
    // ipmi_sim keeps the device only; the persistence is the one this driver set.
    await expect(management.getBootDevice(taskOn(node))).resolves.toEqual({
      boot_device: 'disk',
      persistent: true,
    });
  });

  it('sets cdrom and bios, and reads what ipmitool set', async () => {
    const bmc = sim(2);
    const node = simNode(bmc);
    await management.setBootDevice(taskOn(node), 'cdrom', false);
    expect(ipmitoolBootDevice(bmc)).toBe('Force Boot from CD/DVD');
    await management.setBootDevice(taskOn(node), 'bios', false);
    expect(ipmitoolBootDevice(bmc)).toBe('Force Boot into BIOS Setup');

    bmc.ipmitool(['chassis', 'bootdev', 'pxe']);
    await expect(management.getBootDevice(taskOn(node))).resolves.toEqual({
      boot_device: 'pxe',
      persistent: false,
    });
    bmc.ipmitool(['chassis', 'bootdev', 'none']);
    await expect(management.getBootDevice(taskOn(node))).resolves.toEqual({
      boot_device: null,
      persistent: false,
    });
  });

  it("refuses a device it does not support in Ironic's words", async () => {
    expect(management.getSupportedBootDevices()).toEqual(['pxe', 'disk', 'cdrom', 'bios', 'safe']);
    await expect(
      management.setBootDevice(taskOn(simNode(sim(2))), 'floppy', false),
    ).rejects.toThrow('Invalid boot device floppy specified.');
  });

  it('with ipmi_force_boot_device, tells the BMC the device again at each power on', async () => {
    const bmc = sim(2);
    const node = simNode(bmc, { ipmi_force_boot_device: true });
    await management.setBootDevice(taskOn(node), 'pxe', true);
    expect(node.driverInternalInfo.persistent_boot_device).toBe('pxe');
    await expect(management.getBootDevice(taskOn(node))).resolves.toEqual({
      boot_device: 'pxe',
      persistent: true,
    });

    bmc.setState('boot', 'default'); // the BMC forgot it
    const before = bmc.state().log.length;
    await power.setPowerState(taskOn(node), 'power on', { timeout: 5 });
    expect(bmc.state().log.slice(before)).toEqual(['boot pxe', 'power 1']);

    // A one-time device is sent once and not repeated at the next power on.
    await management.setBootDevice(taskOn(node), 'cdrom', false);
    const reboot = bmc.state().log.length;
    await power.reboot(taskOn(node), { timeout: 5 });
    expect(bmc.state().log.slice(reboot)).toEqual(['power 0', 'power 1']);
    const next = bmc.state().log.length;
    await power.reboot(taskOn(node), { timeout: 5 });
    expect(bmc.state().log.slice(next)).toEqual(['power 0', 'boot pxe', 'power 1']);
    bmc.setState('power', '0');
  });
});

describe('IpmiVendor against ipmi_sim', () => {
  it("send_raw sends netfn, command and data, and logs the BMC's answer", async () => {
    const task = taskOn(simNode(sim(3)));
    const answer = await vendor.send_raw(task, { raw_bytes: '0x06 0x01' }, 'POST');
    expect(answer.completion_code).toBe(0);
    // Get Device ID: manufacturer 0x001291, product 0x0f02, as ipmi_sim was set up.
    expect(answer.response).toContain('0x91 0x12 0x00 0x02 0x0f');
    const ipmitool = sim(3).ipmitool(['raw', '0x06', '0x01']).trim().split(/\s+/);
    expect(answer.response).toBe(ipmitool.map((byte) => `0x${byte}`).join(' '));
    expect(task.logger.records).toContainEqual({
      level: 'info',
      message: 'send_raw answered',
      meta: expect.objectContaining({ raw_bytes: '0x06 0x01', completion_code: '0x00' }),
    });

    const status = await vendor.send_raw(task, { raw_bytes: '0x00 0x01' }, 'POST');
    expect(status.completion_code).toBe(0);
  });

  it('send_raw fails on an error completion code, after logging it', async () => {
    const task = taskOn(simNode(sim(3)));
    const attempt = vendor.send_raw(task, { raw_bytes: '0x06 0x03' }, 'POST');
    await expect(attempt).rejects.toThrow(IPMIFailure);
    await expect(attempt).rejects.toThrow(
      `IPMI call failed: send_raw 0x06 0x03 on node ${task.node.uuid}: the BMC answered completion code 0xc1.`,
    );
  });

  it('bmc_reset surfaces the completion code ipmi_sim answers to both resets', async () => {
    const bmc = sim(3);
    const task = taskOn(simNode(bmc));
    const cold = vendor.bmc_reset(task, { warm: false }, 'POST');
    await expect(cold).rejects.toThrow(IPMIFailure);
    await expect(cold).rejects.toThrow(
      `IPMI call failed: BMC cold reset on node ${task.node.uuid}: the BMC at 127.0.0.1:${bmc.port} answered completion code 0xC1 (Invalid command)`,
    );
    await expect(vendor.bmc_reset(task, { warm: 'true' }, 'POST')).rejects.toThrow(
      'BMC warm reset on node',
    );
    // The session survives a refused reset.
    await expect(power.getPowerState(task)).resolves.toBe('power off');
  });
});

describe('failures', () => {
  it('a wrong password is an authentication error that does not quote the password', async () => {
    const bmc = sim(4);
    const task = taskOn(simNode(bmc, { ipmi_password: 'Wr0ngPassw0rd' }));
    const error = await failure(power.getPowerState(task));
    expect(error).toBeInstanceOf(IPMIFailure);
    expect(error.message).toContain(
      `IPMI call failed: chassis power status on node ${task.node.uuid}: the BMC at 127.0.0.1:${bmc.port} refused the credentials (check ipmi_username, ipmi_password and ipmi_hex_kg_key)`,
    );
    expect(error.message).toMatch(
      /: RAKP 2 key exchange auth code mismatch: wrong user name or password$/,
    );
    expect(error.message).not.toContain('Wr0ngPassw0rd');
    expect(JSON.stringify(task.logger.records)).not.toContain('Wr0ngPassw0rd');
  });

  it('a BMC that does not answer fails within [ipmi] command_retry_timeout', async () => {
    const quick = buildInterface(IpmiPower, {
      ipmi: { ...options.ipmi, request_timeout: 0.1, command_retry_timeout: 0.5 },
    });
    const port = await freeUdpPort();
    const task = makeTask({
      driverName: 'ipmi',
      node: { driverInfo: { ipmi_address: '127.0.0.1', ipmi_port: port, ipmi_username: 'admin' } },
    });
    const started = performance.now();
    const error = await failure(quick.getPowerState(task));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(IPMIFailure);
    expect(error.message).toBe(
      `IPMI call failed: chassis power status on node ${task.node.uuid}: no answer from the BMC at 127.0.0.1:${port} after 5 attempts (check ipmi_address and ipmi_port, and that the BMC is reachable)`,
    );
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('cipher suites ipmi_sim lacks', () => {
  it('time out with a hint at the suite (ipmi_sim never answers suite 17)', async () => {
    const quick = buildInterface(IpmiPower, {
      ipmi: { ...options.ipmi, request_timeout: 0.1, command_retry_timeout: 0.3 },
    });
    const bmc = sim(4);
    const task = taskOn(simNode(bmc, { ipmi_cipher_suite: 17 }));
    const error = await failure(quick.getPowerState(task));
    expect(error.message).toBe(
      `IPMI call failed: chassis power status on node ${task.node.uuid}: no answer from the BMC at 127.0.0.1:${bmc.port} after 3 attempts (check ipmi_address and ipmi_port, and that the BMC is reachable, and that it supports cipher suite 17)`,
    );
  });
});

describe('several BMCs through one shared client', () => {
  it('powers all BMCs on and off in parallel over shared sockets, one session each', async () => {
    const nodes = fleet.sims.map((bmc) => simNode(bmc));
    for (const bmc of fleet.sims) bmc.setState('power', '0');
    const client = sharedIpmiClient(makeEnvironment(options));
    const handshakes = client.stats.handshakes;
    await Promise.all(
      nodes.map((node) => power.setPowerState(taskOn(node), 'power on', { timeout: 5 })),
    );
    expect(fleet.sims.map((bmc) => ipmitoolPower(bmc))).toEqual(fleet.sims.map(() => 'on'));
    await Promise.all(
      nodes.map((node) => power.setPowerState(taskOn(node), 'power off', { timeout: 5 })),
    );
    await expect(
      Promise.all(nodes.map((node) => power.getPowerState(taskOn(node)))),
    ).resolves.toEqual(nodes.map(() => 'power off'));
    expect(client.stats.sockets).toBeLessThanOrEqual(2);
    // Sessions opened earlier in this file are reused: at most one new handshake per BMC.
    expect(client.stats.handshakes - handshakes).toBeLessThanOrEqual(fleet.sims.length);
  });
});

// Latency itself is measured by `pnpm bench`; here only the pacing the options ask for.
describe('command pacing', () => {
  it('waits min_command_interval between the power command and the status read that confirms it', async () => {
    const iface = buildInterface(IpmiPower, { ipmi: { min_command_interval: 0.2 } });
    const bmc = sim(1);
    bmc.setState('power', '0');
    const task = taskOn(simNode(bmc));
    await iface.getPowerState(task);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const started = performance.now();
    await iface.setPowerState(task, 'power on', { timeout: 5 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(bmc.state().power).toBe('1');
  });
});
