import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baremetal,
  baremetalQuiet,
  sendHttp,
  startSplitMode,
  type SplitMode,
} from '@galvanic/testing';
import {
  simulatedBackend,
  startRedfishEmulator,
  type RedfishEmulator,
} from '@galvanic/redfish-emulator/testing';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };
const PASSWORD = 'Rf-s3cret-pw-7731';

interface NodeShown {
  power_state: string | null;
  target_power_state: string | null;
  provision_state: string;
  last_error: string | null;
  reservation: string | null;
  boot_mode: string | null;
  properties: Record<string, unknown>;
  driver_info: Record<string, unknown>;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the redfish hardware type against the Redfish emulator over HTTPS, driven by the baremetal CLI', () => {
  let cluster: SplitMode;
  let bmc: RedfishEmulator;
  let apiUrl: string;
  const cli = (...args: string[]) => baremetal(apiUrl, ...args);
  const quiet = (...args: string[]) => baremetalQuiet(apiUrl, ...args);
  const api = (method: string, path: string, body?: unknown) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    // With Content-Length, as curl sends the body.
    const length: Record<string, string> =
      text === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(text)) };
    return sendHttp(apiUrl, method, path, { ...HEADERS, ...length }, text);
  };
  const show = async (name: string) => (await api('GET', `/v1/nodes/${name}`)).body as NodeShown;
  const system = (i: number) => bmc.systems[i]!;
  /**
   * Waits until a power action is over: the node has no target power state any more, and its
   * lock is released (a failure is recorded under the lock, a moment before it is let go).
   */
  const settled = async (name: string) => {
    await expect
      .poll(
        async () => {
          const node = await show(name);
          return node.target_power_state === null && node.reservation === null;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    return show(name);
  };
  const create = (name: string, i: number, ...extra: string[]) =>
    quiet(
      'node',
      'create',
      '--driver',
      'redfish',
      '--name',
      name,
      '--driver-info',
      `redfish_address=${bmc.url}`,
      '--driver-info',
      `redfish_system_id=${system(i).path}`,
      '--driver-info',
      `redfish_verify_ca=${bmc.caPath}`,
      '--driver-info',
      `redfish_username=${bmc.credentials.username}`,
      '--driver-info',
      `redfish_password=${PASSWORD}`,
      ...extra,
    );

  beforeAll(async () => {
    bmc = await startRedfishEmulator({
      systems: 9,
      tls: true,
      auth: { username: 'admin', password: PASSWORD },
    });
    cluster = await startSplitMode({
      env: {
        GALVANIC_DEFAULT__DEBUG: 'true',
        GALVANIC_DEFAULT__ENABLED_HARDWARE_TYPES: 'redfish,fake-hardware',
        GALVANIC_REDFISH__CONNECTION_ATTEMPTS: '2',
        GALVANIC_REDFISH__CONNECTION_RETRY_INTERVAL: '0.2',
        GALVANIC_REDFISH__POWER_STATE_POLL_INTERVAL: '0.05',
      },
    });
    apiUrl = cluster.apiUrl;
    for (let i = 0; i < 4; i += 1) await create(`rf-${i}`, i);
    await create(
      'rf-4',
      4,
      '--boot-interface',
      'redfish-virtual-media',
      '--deploy-interface',
      'ramdisk',
    );
    await create('rf-mgmt', 8);
  });

  afterAll(async () => {
    await cluster?.stop();
    await bmc?.close();
  });

  it("lists Ironic's redfish properties", async () => {
    const listed = (await cli('driver', 'property', 'list', 'redfish')) as { Property: string }[];
    expect(listed.map((row) => row.Property)).toEqual(
      expect.arrayContaining([
        'redfish_address',
        'redfish_system_id',
        'redfish_username',
        'redfish_password',
        'redfish_verify_ca',
        'redfish_auth_type',
        // From the default boot interface, pxe (virtual media comes after it, as in Ironic).
        'deploy_kernel',
        'deploy_ramdisk',
      ]),
    );
  });

  it('node power on / off / reboot reach the System, which reports each', async () => {
    bmc.faults.powerTransitionMs = 200;
    try {
      await quiet('node', 'power', 'on', 'rf-0');
      expect((await settled('rf-0')).power_state).toBe('power on');
      expect(system(0).state().powerState).toBe('On');
      await quiet('node', 'power', 'off', 'rf-0');
      expect((await settled('rf-0')).power_state).toBe('power off');
      expect(system(0).state().powerState).toBe('Off');
      await quiet('node', 'reboot', 'rf-0');
      expect((await settled('rf-0')).power_state).toBe('power on');
      expect(system(0).state().powerState).toBe('On');
      expect(simulatedBackend(system(0)).history().resets).toEqual(['On', 'ForceOff', 'On']);
    } finally {
      bmc.faults.powerTransitionMs = 0;
    }
  });

  it('node boot device set pxe --persistent is a Continuous Pxe override; show reads it back', async () => {
    await quiet('node', 'boot', 'device', 'set', 'rf-1', 'pxe', '--persistent');
    expect(system(1).state().bootOverride).toMatchObject({ target: 'Pxe', enabled: 'Continuous' });
    expect(await cli('node', 'boot', 'device', 'show', 'rf-1')).toEqual({
      boot_device: 'pxe',
      persistent: true,
    });
    await quiet('node', 'boot', 'device', 'set', 'rf-1', 'cdrom');
    expect(system(1).state().bootOverride).toMatchObject({ target: 'Cd', enabled: 'Once' });
    const supported = (await cli('node', 'boot', 'device', 'show', 'rf-1', '--supported')) as {
      supported_boot_devices: string;
    };
    expect(supported.supported_boot_devices.split(', ')).toEqual(
      expect.arrayContaining(['pxe', 'disk', 'cdrom', 'bios']),
    );
  });

  it('node boot mode set uefi / bios is the BootSourceOverrideMode, recorded as boot_mode', async () => {
    await quiet('node', 'boot', 'device', 'set', 'rf-mgmt', 'pxe', '--persistent');
    await quiet('node', 'boot', 'mode', 'set', 'rf-mgmt', 'bios');
    await expect
      .poll(async () => (await api('GET', '/v1/nodes/rf-mgmt')).body)
      .toMatchObject({
        boot_mode: 'bios',
        last_error: null,
      });
    // The override's target and persistence are kept.
    expect(system(8).state().bootOverride).toMatchObject({
      target: 'Pxe',
      enabled: 'Continuous',
      mode: 'Legacy',
    });
    await quiet('node', 'boot', 'mode', 'set', 'rf-mgmt', 'uefi');
    await expect
      .poll(
        async () => ((await api('GET', '/v1/nodes/rf-mgmt/states')).body as NodeShown).boot_mode,
      )
      .toBe('uefi');
    expect(system(8).state().bootOverride).toMatchObject({ target: 'Pxe', mode: 'UEFI' });
  });

  it('node inject nmi sends the System a Reset of type Nmi', async () => {
    await quiet('node', 'power', 'on', 'rf-mgmt');
    expect((await settled('rf-mgmt')).power_state).toBe('power on');
    await quiet('node', 'inject', 'nmi', 'rf-mgmt');
    expect(simulatedBackend(system(8)).history().nmis).toBe(1);
    expect(system(8).state().powerState).toBe('On');
  });

  it('the System LED is indicator-led@system over the indicators API (the CLI has no command)', async () => {
    const listed = (await api('GET', '/v1/nodes/rf-mgmt/management/indicators')).body as {
      indicators: { name: string; component: string; readonly: boolean; states: string[] }[];
    };
    expect(listed.indicators).toEqual([
      expect.objectContaining({
        name: 'indicator-led@system',
        component: 'system',
        readonly: false,
        states: ['BLINKING', 'OFF', 'ON'],
      }),
    ]);
    const path = '/v1/nodes/rf-mgmt/management/indicators/indicator-led@system';
    const set = await api('PUT', path, { state: 'BLINKING' });
    expect(set.status).toBe(204);
    expect(system(8).state().indicatorLed).toBe('Blinking');
    expect((await api('GET', path)).body).toEqual({ state: 'BLINKING' });
    await api('PUT', path, { state: 'ON' });
    expect(system(8).state().indicatorLed).toBe('Lit');
    await api('PUT', path, { state: 'OFF' });
    expect((await api('GET', path)).body).toEqual({ state: 'OFF' });
    const other = await api('GET', '/v1/nodes/rf-mgmt/management/indicators/led@chassis');
    expect(other.status).toBe(400);
  });

  it('manual cleaning with bios.apply_configuration sets the BIOS attributes', async () => {
    await quiet('node', 'manage', 'rf-2', '--wait', '60');
    const steps = [
      {
        interface: 'bios',
        step: 'apply_configuration',
        args: {
          settings: [
            { name: 'ProcTurboMode', value: 'Disabled' },
            { name: 'NicBoot2', value: 'NetworkBoot' },
          ],
        },
      },
    ];
    await quiet('node', 'clean', 'rf-2', '--clean-steps', JSON.stringify(steps), '--wait', '60');
    const node = await show('rf-2');
    expect(node.provision_state).toBe('manageable');
    expect(node.last_error).toBeNull();
    expect(system(2).state().bios.attributes).toMatchObject({
      ProcTurboMode: 'Disabled',
      NicBoot2: 'NetworkBoot',
    });
    expect(system(2).state().bios.pending).toEqual({});

    // The conductor cached the BMC's settings after the step: the BIOS API and the CLI show
    // every attribute the emulator has, with its value (as Ironic's string: Python's str).
    const attributes = system(2).state().bios.attributes;
    const ironicText = (value: unknown) =>
      typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
    const expected = Object.keys(attributes)
      .sort()
      .map((name) => [name, ironicText(attributes[name])]);
    expect(expected.length).toBeGreaterThan(5);
    const listed = (await cli('node', 'bios', 'setting', 'list', 'rf-2')) as {
      'BIOS setting name': string;
      'BIOS setting value': string;
    }[];
    expect(listed.map((s) => [s['BIOS setting name'], s['BIOS setting value']])).toEqual(expected);
    for (const name of ['ProcTurboMode', 'NicBoot2', 'ProcCoreDisable', 'SriovGlobalEnable']) {
      const shown = (await cli('node', 'bios', 'setting', 'show', 'rf-2', name)) as {
        name: string;
        value: string;
      };
      expect(shown).toMatchObject({ name, value: ironicText(attributes[name]) });
    }
    expect(
      (await cli('node', 'bios', 'setting', 'show', 'rf-2', 'NicBoot2')) as object,
    ).toMatchObject({ value: 'NetworkBoot' });
  }, 120_000);

  it('inspection fills properties and creates a port per NIC', async () => {
    await quiet('node', 'manage', 'rf-3', '--wait', '60');
    await quiet('node', 'inspect', 'rf-3', '--wait', '60');
    const node = await show('rf-3');
    expect(node.provision_state).toBe('manageable');
    expect(node.properties).toMatchObject({ cpus: 32, cpu_arch: 'x86_64', memory_mb: 65536 });
    expect(node.properties.local_gb).toBeGreaterThan(0);
    const ports = (await cli('port', 'list', '--node', 'rf-3')) as { Address: string }[];
    expect(ports.map((p) => p.Address).sort()).toEqual(
      system(3)
        .macAddresses.map((mac) => mac.toLowerCase())
        .sort(),
    );
    // Inspecting again finds the same NICs: no duplicate ports.
    await quiet('node', 'inspect', 'rf-3', '--wait', '60');
    expect((await cli('port', 'list', '--node', 'rf-3')) as unknown[]).toHaveLength(ports.length);
  }, 120_000);

  it('deploying inserts boot_iso as virtual media; eject_vmedia passthru ejects it', async () => {
    const iso = 'http://images.example/instance.iso';
    await quiet(
      'node',
      'set',
      'rf-4',
      '--instance-info',
      `boot_iso=${iso}`,
      '--instance-info',
      'kernel=http://images.example/vmlinuz',
      '--instance-info',
      'ramdisk=http://images.example/initrd',
    );
    await quiet('node', 'manage', 'rf-4', '--wait', '60');
    await quiet('node', 'provide', 'rf-4', '--wait', '60');
    await quiet('node', 'deploy', 'rf-4', '--wait', '60');
    expect((await show('rf-4')).provision_state).toBe('active');
    expect(system(4).state().media.Cd).toMatchObject({ image: iso, inserted: true });
    expect(system(4).state().powerState).toBe('On');
    // The boot interface's persistent Cd override stays: the ramdisk deploy sets no PXE over it.
    expect(system(4).state().bootOverride).toMatchObject({ target: 'Cd', enabled: 'Continuous' });

    const methods = (await cli('node', 'passthru', 'list', 'rf-4')) as { Name: string }[];
    expect(methods.map((m) => m.Name).sort()).toEqual([
      'create_subscription',
      'delete_subscription',
      'eject_vmedia',
      'get_all_subscriptions',
      'get_subscription',
    ]);
    await quiet('node', 'passthru', 'call', 'rf-4', 'eject_vmedia', '--arg', 'boot_device=cd');
    await expect.poll(() => system(4).state().media.Cd?.image, { timeout: 15_000 }).toBeNull();
  }, 120_000);

  it('event subscriptions through node vendor passthru', async () => {
    const created = await api('POST', '/v1/nodes/rf-4/vendor_passthru?method=create_subscription', {
      Destination: 'https://events.example/hook',
      Context: 'galvanic',
    });
    expect(created.status).toBe(200);
    const { Id: id } = created.body as { Id: string };
    expect(created.body).toMatchObject({
      Destination: 'https://events.example/hook',
      Context: 'galvanic',
    });
    expect(bmc.subscriptions().map((s) => s.id)).toEqual([id]);
    const all = await api('GET', '/v1/nodes/rf-4/vendor_passthru?method=get_all_subscriptions');
    expect(all.body).toMatchObject({ 'Members@odata.count': 1 });
    expect(all.body).toMatchObject({
      Members: [{ '@odata.id': expect.stringContaining(`/${id}`) }],
    });
    // As Ironic's, get_subscription and delete_subscription take the id in a GET / DELETE body.
    const one = await api('GET', '/v1/nodes/rf-4/vendor_passthru?method=get_subscription', { id });
    expect(one.status, one.text).toBe(200);
    expect(one.body).toMatchObject({ Id: id, Destination: 'https://events.example/hook' });
    const gone = await api('DELETE', '/v1/nodes/rf-4/vendor_passthru?method=delete_subscription', {
      id,
    });
    expect(gone.status, gone.text).toBeLessThan(300);
    expect(bmc.subscriptions()).toEqual([]);
  });

  it('a wrong password is a clear error on the node, which is not left stuck', async () => {
    await create('rf-badpass', 5);
    await quiet('node', 'set', 'rf-badpass', '--driver-info', 'redfish_password=not-the-one');
    await quiet('node', 'power', 'on', 'rf-badpass');
    const failed = await settled('rf-badpass');
    expect(failed.last_error).toMatch(
      /^Redfish exception occurred\. Error: .*refused the credentials \(check redfish_username and redfish_password\)/,
    );
    expect(failed.last_error).not.toContain('not-the-one');
    expect(system(5).state().powerState).toBe('Off');
    await quiet('node', 'set', 'rf-badpass', '--driver-info', `redfish_password=${PASSWORD}`);
    await quiet('node', 'power', 'on', 'rf-badpass');
    expect((await settled('rf-badpass')).power_state).toBe('power on');
    expect(system(5).state().powerState).toBe('On');
  });

  it('a BMC that is down is a connection error on the node', async () => {
    await create('rf-down', 6);
    await quiet(
      'node',
      'set',
      'rf-down',
      '--driver-info',
      `redfish_address=https://127.0.0.1:${await closedPort()}`,
    );
    await quiet('node', 'power', 'on', 'rf-down');
    const failed = await settled('rf-down');
    // settled() also waited for the lock to be let go: a failed action leaves nothing held.
    expect(failed.last_error).toMatch(
      /^Redfish connection failed for node .*check redfish_address/,
    );
  });

  it('a BMC that answers 503 for a while is waited for', async () => {
    const before = bmc.faults.counts.failed;
    bmc.faults.failNext(4, { retryAfterSeconds: 0 });
    await quiet('node', 'power', 'on', 'rf-1');
    const node = await settled('rf-1');
    expect(node.last_error).toBeNull();
    expect(node.power_state).toBe('power on');
    expect(system(1).state().powerState).toBe('On');
    expect(bmc.faults.counts.failed - before).toBe(4);
  });

  it('an expired session is replaced by a new login', async () => {
    await create('rf-session', 7, '--driver-info', 'redfish_auth_type=session');
    await quiet('node', 'power', 'on', 'rf-session');
    expect((await settled('rf-session')).power_state).toBe('power on');
    expect(bmc.sessions().length).toBeGreaterThan(0);
    bmc.faults.expireSessions();
    expect(bmc.sessions()).toEqual([]);
    await quiet('node', 'power', 'off', 'rf-session');
    const node = await settled('rf-session');
    expect(node.last_error).toBeNull();
    expect(system(7).state().powerState).toBe('Off');
    // A new session exists: this node's client logged in again. The power-state sync may have
    // logged in another node's client on the same BMC meanwhile, so the count is not exact.
    expect(bmc.sessions().length).toBeGreaterThanOrEqual(1);
  });

  it('a certificate that does not verify is a clear error', async () => {
    await create('rf-untrusted', 6, '--driver-info', 'redfish_verify_ca=True');
    await quiet('node', 'power', 'on', 'rf-untrusted');
    const failed = await settled('rf-untrusted');
    expect(failed.last_error).toMatch(
      /^Redfish connection failed for node .*TLS certificate could not be verified \(check redfish_verify_ca\)/,
    );
    expect(system(6).state().powerState).toBe('Off');
  });

  it('validate reports power and management good', async () => {
    const result = Object.fromEntries(
      ((await cli('node', 'validate', 'rf-0')) as { Interface: string; Result: boolean }[]).map(
        (r) => [r.Interface, r.Result],
      ),
    );
    expect(result).toMatchObject({ power: true, management: true, bios: true, inspect: true });
  });

  it('shows the password masked, and no process ever logged it', async () => {
    const shown = (await cli('node', 'show', 'rf-0')) as { driver_info: Record<string, unknown> };
    expect(shown.driver_info.redfish_password).toBe('******');
    for (const process of cluster.processes) expect(process.output()).not.toContain(PASSWORD);
  });
});
