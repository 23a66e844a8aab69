import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IpmiAuthenticationError,
  IpmiClient,
  IpmiCompletionCodeError,
  IpmiTimeoutError,
  IpmiUnsupportedCipherError,
} from '../src/index';
import type { Bmc, BmcOptions } from '../src/index';
import { SIM_PASSWORD, SIM_USER, startSims } from '../src/testing';
import type { IpmiSim, SimFleet } from '../src/testing';

let fleet: SimFleet;
let client: IpmiClient;

beforeAll(async () => {
  fleet = await startSims(3);
  client = new IpmiClient({ maxSockets: 1 });
});

afterAll(async () => {
  await client?.close();
  fleet?.stop();
});

function sim(i: number): IpmiSim {
  const s = fleet.sims[i];
  if (!s) throw new Error(`no sim ${i}`);
  return s;
}

function bmcFor(s: IpmiSim, extra: Partial<BmcOptions> = {}): Bmc {
  return client.bmc({
    host: '127.0.0.1',
    port: s.port,
    username: SIM_USER,
    password: SIM_PASSWORD,
    timeoutMs: 300,
    retries: 2,
    ...extra,
  });
}

describe('against several ipmi_sim BMCs (RMCP+ cipher suite 3)', () => {
  it('gets the device id of all BMCs concurrently over one shared socket', async () => {
    const ids = await Promise.all(fleet.sims.map((s) => bmcFor(s).getDeviceId()));
    for (const id of ids) {
      expect(id.manufacturerId).toBe(0x1291);
      expect(id.productId).toBe(0x0f02);
      expect(id.ipmiVersion).toBe('2.0');
      expect(id.firmwareRevision).toBe('9.08');
    }
    expect(client.stats.sockets).toBe(1);
  });

  it('reuses the session: later calls do not re-handshake', async () => {
    const bmc = bmcFor(sim(0));
    await bmc.getDeviceId();
    const before = bmc.stats.handshakes;
    await bmc.getChassisStatus();
    await bmc.getDeviceId();
    await bmc.getBootDevice();
    expect(bmc.stats.handshakes).toBe(before);
    expect(bmc.stats.handshakes).toBe(1);
    expect(bmcFor(sim(0))).toBe(bmc);
  });

  it('powers on and off; state file and ipmitool agree', async () => {
    const s = sim(1);
    const bmc = bmcFor(s);
    await bmc.chassisControl('on');
    expect(s.state().power).toBe('1');
    expect((await bmc.getChassisStatus()).powerOn).toBe(true);
    expect(s.ipmitool(['chassis', 'power', 'status'])).toContain('Chassis Power is on');

    await bmc.chassisControl('off');
    expect(s.state().power).toBe('0');
    expect(await bmc.getPowerState()).toBe(false);
    expect(s.ipmitool(['chassis', 'power', 'status'])).toContain('Chassis Power is off');

    // ipmi-ts reads what ipmitool set
    s.ipmitool(['chassis', 'power', 'on']);
    expect(await bmc.getPowerState()).toBe(true);
  });

  it('cycle, hard reset and soft off reach the chassis; diag is refused by ipmi_sim', async () => {
    const s = sim(2);
    const bmc = bmcFor(s);
    await bmc.chassisControl('on');
    await bmc.chassisControl('cycle');
    await bmc.chassisControl('reset');
    await bmc.chassisControl('soft');
    const log = s.state().log;
    expect(log).toEqual(expect.arrayContaining(['power 1', 'power 0', 'reset 1', 'shutdown 1']));
    const err = await bmc.chassisControl('diag').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpmiCompletionCodeError);
    expect((err as IpmiCompletionCodeError).code).toBe(0xcc);
    expect((err as IpmiCompletionCodeError).meaning).toBe('Invalid data field in request');
  });

  it('sets and gets the boot device, cross-checked with ipmitool and the state file', async () => {
    const s = sim(0);
    const bmc = bmcFor(s);
    await bmc.setBootDevice({ device: 'pxe', persistent: true, efi: true });
    expect(s.state().boot).toBe('pxe');
    expect(s.ipmitool(['chassis', 'bootparam', 'get', '5'])).toContain('Force PXE');
    expect((await bmc.getBootDevice()).device).toBe('pxe');

    await bmc.setBootDevice({ device: 'cdrom' });
    expect(s.state().boot).toBe('cdrom');
    expect((await bmc.getBootDevice()).device).toBe('cdrom');

    s.ipmitool(['chassis', 'bootdev', 'bios']);
    expect((await bmc.getBootDevice()).device).toBe('bios');
    s.ipmitool(['chassis', 'bootdev', 'disk']);
    expect((await bmc.getBootDevice()).device).toBe('disk');
  });

  it('sends raw requests and returns completion codes without throwing', async () => {
    const bmc = bmcFor(sim(1));
    const r = await bmc.raw(0x06, 0x01);
    expect(r.completionCode).toBe(0);
    expect(r.data.readUInt16LE(6)).toBe(0x1291);
    const bad = await bmc.raw(0x06, 0xfe, [1, 2, 3]);
    expect(bad.completionCode).toBe(0xc1);
  });

  it('sends BMC Cold Reset (ipmi_sim 2.0.33 answers 0xC1 Invalid command)', async () => {
    const bmc = bmcFor(sim(1));
    const err = await bmc.coldReset().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpmiCompletionCodeError);
    expect((err as IpmiCompletionCodeError).code).toBe(0xc1);
    expect((err as Error).message).toContain('Invalid command');
    expect(bmc.sessionActive).toBe(true); // a refused reset keeps the session
  });

  it('sends BMC Warm Reset (netfn 6 cmd 3; ipmi_sim 2.0.33 answers 0xC1 too)', async () => {
    const bmc = bmcFor(sim(1));
    const err = await bmc.warmReset().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpmiCompletionCodeError);
    expect((err as IpmiCompletionCodeError).netFn).toBe(0x06);
    expect((err as IpmiCompletionCodeError).command).toBe(0x03);
    expect((err as IpmiCompletionCodeError).code).toBe(0xc1);
    expect(bmc.sessionActive).toBe(true);
  });

  it.each([1, 2, 6])('works with cipher suite %i', async (cipherSuite) => {
    const c = new IpmiClient();
    try {
      const bmc = c.bmc({
        host: '127.0.0.1',
        port: sim(2).port,
        username: SIM_USER,
        password: SIM_PASSWORD,
        cipherSuite,
      });
      expect((await bmc.getDeviceId()).manufacturerId).toBe(0x1291);
      expect(typeof (await bmc.getChassisStatus()).powerOn).toBe('boolean');
    } finally {
      await c.close();
    }
  });

  it('works with lower requested privilege levels', async () => {
    const c = new IpmiClient();
    try {
      for (const privilege of ['user', 'operator'] as const) {
        const bmc = c.bmc({
          host: '127.0.0.1',
          port: sim(2).port,
          username: SIM_USER,
          password: SIM_PASSWORD,
          privilege,
        });
        expect((await bmc.getDeviceId()).productId).toBe(0x0f02);
        await bmc.close();
      }
    } finally {
      await c.close();
    }
  });

  it.each(['md5', 'password'] as const)(
    'speaks IPMI 1.5 with %s authentication',
    async (authType) => {
      const s = sim(2);
      const bmc = bmcFor(s, { protocol: '1.5', authType });
      expect((await bmc.getDeviceId()).manufacturerId).toBe(0x1291);
      await bmc.chassisControl('off');
      expect(s.state().power).toBe('0');
      await bmc.setBootDevice({ device: 'pxe' });
      expect(s.state().boot).toBe('pxe');
      expect((await bmc.getBootDevice()).device).toBe('pxe');
      expect(bmc.stats.handshakes).toBe(1);
      await bmc.close();
    },
  );

  it('rejects a wrong password with IpmiAuthenticationError that does not leak it', async () => {
    const secret = 'Sup3rS3cret!';
    for (const protocol of ['2.0', '1.5'] as const) {
      const bmc = bmcFor(sim(0), { password: secret, protocol, username: SIM_USER, retries: 0 });
      const err = await bmc.getDeviceId().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IpmiAuthenticationError);
      const text = `${String(err)} ${(err as Error).stack} ${JSON.stringify(err)} ${String(bmc)} ${JSON.stringify(bmc)}`;
      expect(text).not.toContain(secret);
      const { inspect } = await import('node:util');
      expect(inspect(bmc, { depth: 5 })).not.toContain(secret);
      expect(inspect(err, { depth: 5 })).not.toContain(secret);
      await bmc.close();
    }
  });

  it('rejects an unknown user with IpmiAuthenticationError', async () => {
    const bmc = bmcFor(sim(0), { username: 'nobody' });
    await expect(bmc.getDeviceId()).rejects.toBeInstanceOf(IpmiAuthenticationError);
    await bmc.close();
  });

  it('refuses cipher suite 0 unless explicitly allowed', async () => {
    expect(() => bmcFor(sim(1), { cipherSuite: 0 })).toThrow(IpmiUnsupportedCipherError);
    const bmc = bmcFor(sim(1), {
      cipherSuite: 0,
      allowCipherSuiteZero: true,
      username: SIM_USER,
      password: 'anything', // suite 0 has no authentication at all
    });
    expect((await bmc.getDeviceId()).manufacturerId).toBe(0x1291);
    await bmc.close();
  });

  it('rejects unimplemented cipher suites up front', () => {
    expect(() => bmcFor(sim(1), { cipherSuite: 12 })).toThrow(IpmiUnsupportedCipherError);
  });

  it('times out on cipher suite 17 because ipmi_sim does not answer SHA-256 suites', async () => {
    const bmc = bmcFor(sim(1), { cipherSuite: 17, retries: 0, timeoutMs: 200 });
    await expect(bmc.getDeviceId()).rejects.toBeInstanceOf(IpmiTimeoutError);
    await bmc.close();
  });

  it('closes idle sessions and keeps active ones alive', async () => {
    const bmc = bmcFor(sim(0), {
      username: SIM_USER,
      idleTimeoutMs: 400,
      keepAliveIntervalMs: 100,
    });
    await bmc.getDeviceId();
    expect(bmc.sessionActive).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
    expect(bmc.stats.keepAlives).toBeGreaterThanOrEqual(1);
    expect(bmc.sessionActive).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(bmc.sessionActive).toBe(false);
    expect(bmc.stats.sessionsClosed).toBe(1);
    await bmc.getDeviceId();
    expect(bmc.stats.handshakes).toBe(2);
    await bmc.close();
  });

  it('runs commands to one BMC one at a time, spaced by minCommandIntervalMs', async () => {
    const c = new IpmiClient();
    try {
      const bmc = c.bmc({
        host: '127.0.0.1',
        port: sim(1).port,
        username: SIM_USER,
        password: SIM_PASSWORD,
        minCommandIntervalMs: 100,
      });
      await bmc.getDeviceId();
      const start = Date.now();
      await Promise.all([bmc.getChassisStatus(), bmc.getDeviceId(), bmc.getBootDevice()]);
      expect(Date.now() - start).toBeGreaterThanOrEqual(290);
      expect(bmc.stats.handshakes).toBe(1);
    } finally {
      await c.close();
    }
  });
});
