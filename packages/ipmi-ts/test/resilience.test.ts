import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpmiClient, IpmiTimeoutError } from '../src/index';
import { freeUdpPort, SIM_PASSWORD, SIM_USER, startSims } from '../src/testing';
import type { IpmiSim, SimFleet } from '../src/testing';
import { startLossyProxy } from './support/lossy-proxy';

let fleet: SimFleet;
let client: IpmiClient;

beforeAll(async () => {
  fleet = await startSims(2);
  client = new IpmiClient();
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

describe('resilience', () => {
  it('fails with IpmiTimeoutError after bounded retries when nothing listens', async () => {
    const port = await freeUdpPort();
    const bmc = client.bmc({
      host: '127.0.0.1',
      port,
      username: SIM_USER,
      password: SIM_PASSWORD,
      timeoutMs: 100,
      retries: 2,
    });
    const retransmitsBefore = client.stats.retransmits;
    const err = await bmc.getDeviceId().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpmiTimeoutError);
    expect((err as IpmiTimeoutError).attempts).toBe(3);
    expect((err as Error).message).not.toContain(SIM_PASSWORD);
    expect(client.stats.retransmits - retransmitsBefore).toBe(2);
    await bmc.close();
  });

  it('re-establishes the session transparently after the BMC restarts', async () => {
    const s = sim(0);
    const bmc = client.bmc({
      host: '127.0.0.1',
      port: s.port,
      username: SIM_USER,
      password: SIM_PASSWORD,
      timeoutMs: 150,
      retries: 1,
    });
    await bmc.chassisControl('on');
    expect(bmc.stats.handshakes).toBe(1);
    await s.restart();
    expect((await bmc.getChassisStatus()).powerOn).toBe(true);
    expect(bmc.stats.handshakes).toBe(2);
    expect(bmc.stats.reestablished).toBe(1);
    await bmc.chassisControl('off');
    expect(s.state().power).toBe('0');
    expect(bmc.stats.handshakes).toBe(2);
  });

  it('re-establishes an IPMI 1.5 session after the BMC restarts', async () => {
    const s = sim(1);
    const bmc = client.bmc({
      host: '127.0.0.1',
      port: s.port,
      username: SIM_USER,
      password: SIM_PASSWORD,
      protocol: '1.5',
      timeoutMs: 150,
      retries: 1,
    });
    await bmc.getDeviceId();
    await s.restart();
    expect((await bmc.getDeviceId()).manufacturerId).toBe(0x1291);
    expect(bmc.stats.reestablished).toBe(1);
    await bmc.close();
  });

  it('succeeds through 30% packet loss in both directions via retransmission', async () => {
    const s = sim(1);
    const proxy = await startLossyProxy(s.port, 0.3);
    const c = new IpmiClient();
    try {
      const bmc = c.bmc({
        host: '127.0.0.1',
        port: proxy.port,
        username: SIM_USER,
        password: SIM_PASSWORD,
        timeoutMs: 80,
        retries: 10,
      });
      for (let i = 0; i < 10; i++) {
        const on = i % 2 === 0;
        await bmc.chassisControl(on ? 'on' : 'off');
        expect(s.state().power).toBe(on ? '1' : '0');
        expect((await bmc.getChassisStatus()).powerOn).toBe(on);
      }
      await bmc.setBootDevice({ device: 'pxe' });
      expect((await bmc.getBootDevice()).device).toBe('pxe');
      expect(proxy.dropped.up + proxy.dropped.down).toBeGreaterThan(0);
      expect(c.stats.retransmits).toBeGreaterThan(0);
    } finally {
      await c.close();
      await proxy.close();
    }
  });
});
