import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissingParameterValue } from '@galvanic/driver-sdk';
import { buildInterface } from '@galvanic/driver-sdk/testing';
import {
  redfishRequest,
  simulatedBackend,
  startRedfishFleet,
  type RedfishEmulator,
} from '@galvanic/redfish-emulator/testing';
import {
  PowerStateFailure,
  RedfishBios,
  RedfishConnectionFailure,
  RedfishFailure,
  RedfishFirmware,
  RedfishInspect,
  RedfishManagement,
  RedfishPower,
  RedfishVendor,
  RedfishVirtualMediaBoot,
  closeRedfishClients,
} from '../src';
import { emulatorNode, failure, taskOn } from './support';

const options = {
  redfish: {
    connection_attempts: 3,
    connection_retry_interval: 0.05,
    power_state_poll_interval: 0.02,
    bios_settings_apply_timeout: 5,
  },
};
const power = buildInterface(RedfishPower, options);
const management = buildInterface(RedfishManagement, options);
const boot = buildInterface(RedfishVirtualMediaBoot, options);
const bios = buildInterface(RedfishBios, options);
const inspect = buildInterface(RedfishInspect, options);
const vendor = buildInterface(RedfishVendor, options);
const firmware = buildInterface(RedfishFirmware, options);
const all = { power, management, boot, bios, inspect, vendor, firmware };

let bmc: RedfishEmulator;
const system = (i: number) => bmc.systems[i]!;
const task = (
  i: number,
  overrides: Parameters<typeof emulatorNode>[2] = {},
  signal?: AbortSignal,
) => taskOn(emulatorNode(bmc, i, overrides), all, signal);

beforeAll(async () => {
  bmc = await startRedfishFleet(12, { tls: true });
});
afterAll(async () => {
  await closeRedfishClients();
  await bmc?.close();
});

describe('RedfishPower over HTTPS', () => {
  it('powers on and off, resolving only once the System reports the state', async () => {
    bmc.faults.powerTransitionMs = 150;
    try {
      await expect(power.getPowerState(task(0))).resolves.toBe('power off');
      await power.setPowerState(task(0), 'power on', { timeout: 5 });
      // Still PoweringOn had the action resolved when the Reset was accepted.
      expect(system(0).state().powerState).toBe('On');
      await power.setPowerState(task(0), 'power off', { timeout: 5 });
      expect(system(0).state().powerState).toBe('Off');
      expect(simulatedBackend(system(0)).history().resets).toEqual(['On', 'ForceOff']);
    } finally {
      bmc.faults.powerTransitionMs = 0;
    }
  });

  it('reads what the BMC reports, transitions as their destination', async () => {
    simulatedBackend(system(1)).setPowerState('On');
    await expect(power.getPowerState(task(1))).resolves.toBe('power on');
    simulatedBackend(system(1)).setPowerState('Off');
    await expect(power.getPowerState(task(1))).resolves.toBe('power off');
  });

  it('reboots as Ironic does: forced off then on when on, just on when off', async () => {
    const history = () => simulatedBackend(system(2)).history().resets;
    await power.reboot(task(2), { timeout: 5 });
    expect(history()).toEqual(['On']);
    await power.setPowerState(task(2), 'rebooting', { timeout: 5 });
    expect(history()).toEqual(['On', 'ForceOff', 'On']);
    expect(system(2).state().powerState).toBe('On');
  });

  it('soft off is GracefulShutdown, soft reboot GracefulRestart; on when on sends nothing', async () => {
    const history = () => simulatedBackend(system(3)).history().resets;
    await power.setPowerState(task(3), 'power on', { timeout: 5 });
    await power.setPowerState(task(3), 'power on', { timeout: 5 });
    await power.setPowerState(task(3), 'soft rebooting', { timeout: 5 });
    await power.setPowerState(task(3), 'soft power off', { timeout: 5 });
    expect(history()).toEqual(['On', 'GracefulRestart', 'GracefulShutdown']);
    expect(system(3).state().powerState).toBe('Off');
  });

  it('fails with PowerStateFailure when the System does not report the state in time', async () => {
    bmc.faults.powerTransitionMs = 3000;
    try {
      const attempt = power.setPowerState(task(4), 'power on', { timeout: 0.2 });
      await expect(attempt).rejects.toThrow(PowerStateFailure);
      await expect(attempt).rejects.toThrow(
        'Failed to set node power state to power on: the System still reported PowerState PoweringOn 0.2 seconds after ComputerSystem.Reset On.',
      );
    } finally {
      bmc.faults.powerTransitionMs = 0;
      simulatedBackend(system(4)).setPowerState('Off');
    }
  });

  it("stops waiting when the task's signal aborts", async () => {
    bmc.faults.powerTransitionMs = 3000;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('caller gave up')), 100);
    try {
      await expect(
        power.setPowerState(task(4, {}, controller.signal), 'power on', { timeout: 10 }),
      ).rejects.toThrow('caller gave up');
    } finally {
      bmc.faults.powerTransitionMs = 0;
      simulatedBackend(system(4)).setPowerState('Off');
    }
  });
});

describe('RedfishManagement', () => {
  it('sets the boot device: persistent is Continuous, else Once', async () => {
    await management.setBootDevice(task(5), 'pxe', true);
    expect(system(5).state().bootOverride).toMatchObject({ target: 'Pxe', enabled: 'Continuous' });
    await expect(management.getBootDevice(task(5))).resolves.toEqual({
      boot_device: 'pxe',
      persistent: true,
    });
    await management.setBootDevice(task(5), 'disk', false);
    expect(system(5).state().bootOverride).toMatchObject({ target: 'Hdd', enabled: 'Once' });
    await management.setBootDevice(task(5), 'bios', false);
    expect(system(5).state().bootOverride).toMatchObject({ target: 'BiosSetup' });
  });

  it('reads what another client set, and no override as null', async () => {
    const patch = (Boot: Record<string, string>) =>
      redfishRequest(bmc, 'PATCH', system(5).path, { body: { Boot } });
    expect(
      (await patch({ BootSourceOverrideTarget: 'Cd', BootSourceOverrideEnabled: 'Once' })).status,
    ).toBeLessThan(300);
    await expect(management.getBootDevice(task(5))).resolves.toEqual({
      boot_device: 'cdrom',
      persistent: false,
    });
    await patch({ BootSourceOverrideEnabled: 'Disabled' });
    await expect(management.getBootDevice(task(5))).resolves.toEqual({
      boot_device: null,
      persistent: null,
    });
  });

  it('refuses a boot device Redfish has no target for', async () => {
    expect(management.getSupportedBootDevices()).not.toContain('safe');
    await expect(management.setBootDevice(task(5), 'safe', false)).rejects.toThrow(
      'Invalid boot device safe specified.',
    );
  });

  it('sets and reads the boot mode, keeping the override', async () => {
    await management.setBootDevice(task(6), 'pxe', true);
    await management.setBootMode(task(6), 'bios');
    expect(system(6).state().bootOverride).toMatchObject({
      target: 'Pxe',
      enabled: 'Continuous',
      mode: 'Legacy',
    });
    await expect(management.getBootMode(task(6))).resolves.toBe('bios');
    await management.setBootMode(task(6), 'uefi');
    await expect(management.getBootMode(task(6))).resolves.toBe('uefi');
  });

  it('injects an NMI', async () => {
    simulatedBackend(system(6)).setPowerState('On');
    await management.injectNmi(task(6));
    expect(simulatedBackend(system(6)).history().nmis).toBe(1);
  });
});

describe('RedfishVirtualMediaBoot and eject_vmedia', () => {
  const cd = (i: number) => {
    const media = system(i).state().media.Cd;
    if (!media) throw new Error(`System ${i} has no Cd slot`);
    return media;
  };

  it('boots the instance ISO persistently from the virtual CD, and ejects it on clean-up', async () => {
    const iso = 'http://images.example/instance.iso';
    const t = task(7, { instanceInfo: { boot_iso: iso } });
    await boot.prepareInstance(t);
    expect(cd(7)).toMatchObject({ image: iso, inserted: true });
    expect(system(7).state().bootOverride).toMatchObject({ target: 'Cd', enabled: 'Continuous' });
    await boot.prepareInstance(t);
    expect(cd(7)).toMatchObject({ image: iso });
    await boot.cleanUpInstance(t);
    expect(cd(7)).toMatchObject({ image: null, inserted: false });
  });

  it('boots the deploy ISO once with the node off first', async () => {
    simulatedBackend(system(7)).setPowerState('On');
    const iso = 'https://images.example/deploy.iso';
    await boot.prepareRamdisk(task(7, { driverInfo: { deploy_iso: iso } }), {});
    expect(system(7).state().powerState).toBe('Off');
    expect(cd(7)).toMatchObject({ image: iso, inserted: true });
    expect(system(7).state().bootOverride).toMatchObject({ target: 'Cd', enabled: 'Once' });
    await boot.cleanUpRamdisk(task(7));
    expect(cd(7).image).toBeNull();
  });

  it('needs the ISOs, by their Ironic names', async () => {
    await expect(boot.prepareRamdisk(task(7), {})).rejects.toThrow(MissingParameterValue);
    await expect(boot.prepareInstance(task(7))).rejects.toThrow("Missing are: ['boot_iso']");
    expect(() => boot.validate(task(7, { instanceInfo: { boot_iso: 'not a url' } }))).toThrow(
      'instance_info/boot_iso must be the URL of an ISO image',
    );
  });

  it('eject_vmedia ejects one kind of device, or all', async () => {
    const iso = 'http://images.example/x.iso';
    await boot.prepareInstance(task(8, { instanceInfo: { boot_iso: iso } }));
    await vendor.eject_vmedia(task(8), { boot_device: 'usb' }, 'POST');
    expect(cd(8).image).toBe(iso);
    await vendor.eject_vmedia(task(8), { boot_device: 'cd' }, 'POST');
    expect(cd(8).image).toBeNull();
    await boot.prepareInstance(task(8, { instanceInfo: { boot_iso: iso } }));
    await vendor.eject_vmedia(task(8), {}, 'POST');
    expect(cd(8).image).toBeNull();
  });
});

describe('virtual media on a BMC without InsertMedia / EjectMedia actions', () => {
  it('attaches and ejects by PATCHing the VirtualMedia resource, as on older BMCs', async () => {
    const old = await startRedfishFleet(1, { tls: true, virtualMedia: 'patch' });
    try {
      const iso = 'http://images.example/old-bmc.iso';
      const node = emulatorNode(old, 0, { instanceInfo: { boot_iso: iso } });
      await boot.prepareInstance(taskOn(node, all));
      const cd = () => old.systems[0]!.state().media.Cd;
      expect(cd()).toMatchObject({ image: iso, inserted: true });
      expect(
        old.requests().some((r) => r.method === 'PATCH' && r.url.includes('VirtualMedia')),
      ).toBe(true);
      await vendor.eject_vmedia(taskOn(node, all), {}, 'POST');
      expect(cd()).toMatchObject({ image: null, inserted: false });
    } finally {
      await old.close();
    }
  });
});

describe('RedfishBios', () => {
  it('apply_configuration sets the attributes, reboots so they apply, and waits for them', async () => {
    const settings = [
      { name: 'ProcTurboMode', value: 'Disabled' },
      { name: 'ProcCoreDisable', value: 2 },
    ];
    const applied = await bios.apply_configuration(task(9), { settings });
    expect(system(9).state().bios.attributes).toMatchObject({
      ProcTurboMode: 'Disabled',
      ProcCoreDisable: 2,
    });
    expect(system(9).state().bios.pending).toEqual({});
    expect(simulatedBackend(system(9)).history().boots).toBeGreaterThan(0);
    expect(applied).toContainEqual({ name: 'ProcTurboMode', value: 'Disabled' });
    await expect(bios.cacheBiosSettings(task(9))).resolves.toContainEqual({
      name: 'ProcCoreDisable',
      value: 2,
    });

    await bios.factory_reset(task(9), {});
    expect(system(9).state().bios.attributes).toMatchObject({
      ProcTurboMode: 'Enabled',
      ProcCoreDisable: 0,
    });
  });

  it('reports what the BMC refuses, in Ironic words', async () => {
    const attempt = bios.apply_configuration(task(9), {
      settings: [{ name: 'ProcTurboMode', value: 'Sometimes' }],
    });
    await expect(attempt).rejects.toThrow(RedfishFailure);
    await expect(attempt).rejects.toThrow(
      /^Redfish exception occurred\. Error: setting BIOS attributes/,
    );
    await expect(bios.apply_configuration(task(9), { settings: [] })).rejects.toThrow(
      'The apply_configuration argument "settings" must be a list',
    );
  });
});

describe('RedfishInspect', () => {
  it("finds Ironic's properties and one port per enabled NIC", async () => {
    const found = await inspect.inspectHardware(task(10));
    expect(found.properties).toEqual({
      cpus: 32,
      cpu_arch: 'x86_64',
      memory_mb: 65536,
      local_gb: Math.floor(2_000_398_934_016 / 1024 ** 3) - 1,
    });
    expect(found.ports?.map((p) => p.address)).toEqual(
      system(10).macAddresses.map((mac) => mac.toLowerCase()),
    );
  });
});

describe('RedfishFirmware', () => {
  it("reads the System's BIOS version and its Manager's firmware version and model", async () => {
    const versions = system(10).state().firmware;
    expect(versions.bios).not.toBe(versions.bmc);
    await expect(firmware.cacheFirmwareComponents(task(10))).resolves.toEqual([
      {
        component: 'bios',
        current_version: versions.bios,
        vendor: null,
        model: null,
        serial_number: null,
      },
      {
        component: 'bmc',
        current_version: versions.bmc,
        vendor: null,
        model: 'Galvanic Emulated BMC',
        serial_number: null,
      },
    ]);
  });
});

describe('event subscriptions through vendor passthru', () => {
  it('creates, lists, shows and deletes, answering as Ironic does', async () => {
    const created = await vendor.create_subscription(
      task(11),
      {
        Destination: 'https://events.example/hook',
        Context: 'galvanic',
        HttpHeaders: [{ Authorization: 'Bearer hook-secret' }],
      },
      'POST',
    );
    expect(created).toMatchObject({
      Destination: 'https://events.example/hook',
      Context: 'galvanic',
      Protocol: 'Redfish',
    });
    expect(Object.keys(created).sort()).toEqual(expect.arrayContaining(['Destination', 'Id']));
    expect(JSON.stringify(created)).not.toContain('hook-secret');
    const id = String(created.Id);
    expect(bmc.subscriptions().map((s) => s.id)).toEqual([id]);

    const listed = (await vendor.get_all_subscriptions(task(11), {}, 'GET')) as {
      'Members@odata.count': number;
    };
    expect(listed['Members@odata.count']).toBe(1);
    await expect(vendor.get_subscription(task(11), { id }, 'GET')).resolves.toMatchObject({
      Id: id,
      Destination: 'https://events.example/hook',
    });
    await vendor.delete_subscription(task(11), { id }, 'DELETE');
    expect(bmc.subscriptions()).toEqual([]);
    await expect(vendor.delete_subscription(task(11), { id }, 'DELETE')).rejects.toThrow(
      `Redfish delete_subscription failed for subscription ${id}`,
    );
  });
});

describe('a BMC that misbehaves', () => {
  it('a wrong password is a clear RedfishError that never quotes it', async () => {
    const t = task(0, { driverInfo: { redfish_password: 'wrong-pass-123' } });
    const error = await failure(power.getPowerState(t));
    expect(error).toBeInstanceOf(RedfishFailure);
    expect(error.message).toMatch(
      /refused the credentials \(check redfish_username and redfish_password\)/,
    );
    expect(error.message).not.toContain('wrong-pass-123');
    for (const record of t.logger.records)
      expect(JSON.stringify(record)).not.toContain('wrong-pass-123');
  });

  it('a BMC that is down is a RedfishConnectionError after the configured attempts', async () => {
    const port = await closedPort();
    const t = task(0, { driverInfo: { redfish_address: `https://127.0.0.1:${port}` } });
    const error = await failure(power.getPowerState(t));
    expect(error).toBeInstanceOf(RedfishConnectionFailure);
    expect(error.message).toMatch(
      new RegExp(
        `^Redfish connection failed for node ${t.node.uuid}: reading the power state: .*check redfish_address`,
      ),
    );
    expect(t.logger.records.filter((r) => r.message.includes('trying again'))).toHaveLength(2);
  });

  it('a BMC answering 503 for a while is waited for; a Reset it refused with 503 is sent again', async () => {
    bmc.faults.failNext(5, { retryAfterSeconds: 0 });
    await power.setPowerState(task(1), 'power on', { timeout: 10 });
    expect(system(1).state().powerState).toBe('On');
    expect(bmc.faults.counts.failed).toBeGreaterThanOrEqual(5);

    bmc.faults.failNext(1, { method: 'POST', retryAfterSeconds: 0 });
    await power.setPowerState(task(1), 'power off', { timeout: 10 });
    expect(system(1).state().powerState).toBe('Off');
  });

  it('an expired session is replaced by a new login', async () => {
    const t = () => task(2, { driverInfo: { redfish_auth_type: 'session' } });
    simulatedBackend(system(2)).setPowerState('On');
    await power.getPowerState(t());
    const before = bmc.sessions().length;
    expect(before).toBeGreaterThan(0);
    expect(bmc.faults.expireSessions()).toBe(before);
    await expect(power.getPowerState(t())).resolves.toBe('power on');
    expect(bmc.sessions()).toHaveLength(1);
    // What the conductor does when it stops: every client closed, its BMC session deleted.
    await power.close();
    expect(bmc.sessions()).toEqual([]);
  });

  it('a certificate that does not verify is a clear error, not retried', async () => {
    const t = task(0, { driverInfo: { redfish_verify_ca: 'true' } });
    const error = await failure(power.getPowerState(t));
    expect(error).toBeInstanceOf(RedfishConnectionFailure);
    expect(error.message).toMatch(
      /TLS certificate could not be verified \(check redfish_verify_ca\)/,
    );
    expect(t.logger.records.filter((r) => r.message.includes('trying again'))).toEqual([]);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
