import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RedfishEmulator } from '../src/index';
import { createSession, redfishRequest, startRedfishFleet } from '../src/testing';

let emulator: RedfishEmulator;
let randomValue = 0.5;

beforeAll(async () => {
  emulator = await startRedfishFleet(2, { random: () => randomValue });
});

afterAll(async () => {
  await emulator?.close();
});

afterEach(() => {
  emulator.faults.clear();
});

describe('fault injection', () => {
  it('adds latency to every request while switched on', async () => {
    emulator.faults.latencyMs = 150;
    const started = performance.now();
    const res = await redfishRequest(emulator, 'GET', '/redfish/v1/Systems/1');
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(emulator.faults.counts.delayed).toBe(1);
    emulator.faults.latencyMs = 0;
    await redfishRequest(emulator, 'GET', '/redfish/v1/Systems/1');
    expect(emulator.faults.counts.delayed).toBe(1);
  });

  it('answers the next N requests with 503, Retry-After and a Base error, then recovers', async () => {
    emulator.faults.failNext(2, { retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i += 1) {
      const res = await redfishRequest(emulator, 'GET', '/redfish/v1/Systems');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('3');
      expect(res.json).toMatchObject({
        error: {
          code: expect.stringContaining('ServiceTemporarilyUnavailable'),
          '@Message.ExtendedInfo': [expect.objectContaining({ MessageArgs: ['3'] })],
        },
      });
    }
    expect((await redfishRequest(emulator, 'GET', '/redfish/v1/Systems')).status).toBe(200);
    expect(emulator.faults.counts.failed).toBeGreaterThanOrEqual(2);
  });

  it('limits a fault to a method and path prefix, and can send another status', async () => {
    emulator.faults.failNext(1, {
      status: 500,
      method: 'POST',
      pathPrefix: '/redfish/v1/Systems/2',
    });
    expect((await redfishRequest(emulator, 'GET', '/redfish/v1/Systems/2')).status).toBe(200);
    const other = await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Systems/1/Actions/ComputerSystem.Reset',
      {
        body: { ResetType: 'On' },
      },
    );
    expect(other.status).toBe(204);
    const hit = await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Systems/2/Actions/ComputerSystem.Reset',
      {
        body: { ResetType: 'On' },
      },
    );
    expect(hit.status).toBe(500);
    expect(hit.json).toMatchObject({ error: { code: expect.stringContaining('InternalError') } });
    expect(emulator.system('2').state().powerState).toBe('Off');
  });

  it('fails a fraction of requests, by the random source', async () => {
    emulator.faults.failFraction(0.3);
    randomValue = 0.9;
    expect((await redfishRequest(emulator, 'GET', '/redfish/v1/Managers')).status).toBe(200);
    randomValue = 0.1;
    expect((await redfishRequest(emulator, 'GET', '/redfish/v1/Managers')).status).toBe(503);
    emulator.faults.clear();
    expect((await redfishRequest(emulator, 'GET', '/redfish/v1/Managers')).status).toBe(200);
  });

  it('drops connections without an answer', async () => {
    emulator.faults.dropNext(1);
    const agent = new http.Agent({ keepAlive: false });
    try {
      await expect(
        redfishRequest(emulator, 'GET', '/redfish/v1/Systems', { agent }),
      ).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(emulator.faults.counts.dropped).toBe(1);
      expect((await redfishRequest(emulator, 'GET', '/redfish/v1/Systems', { agent })).status).toBe(
        200,
      );
    } finally {
      agent.destroy();
    }
  });

  it('drops a fraction of connections', async () => {
    emulator.faults.dropFraction(0.5, { pathPrefix: '/redfish/v1/Chassis' });
    randomValue = 0.2;
    await expect(redfishRequest(emulator, 'GET', '/redfish/v1/Chassis')).rejects.toThrow();
    expect((await redfishRequest(emulator, 'GET', '/redfish/v1/Systems')).status).toBe(200);
    randomValue = 0.7;
    expect((await redfishRequest(emulator, 'GET', '/redfish/v1/Chassis')).status).toBe(200);
  });

  it('expires sessions on demand', async () => {
    const { token } = await createSession(emulator);
    expect(
      (await redfishRequest(emulator, 'GET', '/redfish/v1/Systems', { auth: { token } })).status,
    ).toBe(200);
    expect(emulator.faults.expireSessions()).toBeGreaterThanOrEqual(1);
    const res = await redfishRequest(emulator, 'GET', '/redfish/v1/Systems', { auth: { token } });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: { code: expect.stringContaining('NoValidSession') } });
    expect(emulator.sessions()).toEqual([]);
  });

  it('expires sessions left idle longer than a set lifetime', async () => {
    emulator.faults.sessionLifetimeMs = 500;
    const { token } = await createSession(emulator);
    // Use within the lifetime keeps the session alive.
    await new Promise((r) => setTimeout(r, 50));
    expect(
      (await redfishRequest(emulator, 'GET', '/redfish/v1/Systems', { auth: { token } })).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 800));
    expect(
      (await redfishRequest(emulator, 'GET', '/redfish/v1/Systems', { auth: { token } })).status,
    ).toBe(401);
    // Basic auth is not affected.
    expect((await redfishRequest(emulator, 'GET', '/redfish/v1/Systems')).status).toBe(200);
  });

  it('makes power transitions take time, switched at run time', async () => {
    emulator.faults.powerTransitionMs = 600;
    await redfishRequest(emulator, 'POST', '/redfish/v1/Systems/1/Actions/ComputerSystem.Reset', {
      body: { ResetType: 'ForceOff' },
    });
    expect(emulator.system('1').state().powerState).toBe('PoweringOff');
    const seen = new Set<string>();
    const first = await redfishRequest(emulator, 'GET', '/redfish/v1/Systems/1');
    seen.add((first.json as { PowerState: string }).PowerState);
    for (let i = 0; i < 200 && !seen.has('Off'); i += 1) {
      const res = await redfishRequest(emulator, 'GET', '/redfish/v1/Systems/1');
      seen.add((res.json as { PowerState: string }).PowerState);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen).toEqual(new Set(['PoweringOff', 'Off']));
    emulator.faults.powerTransitionMs = 0;
    await redfishRequest(emulator, 'POST', '/redfish/v1/Systems/1/Actions/ComputerSystem.Reset', {
      body: { ResetType: 'On' },
    });
    expect(emulator.system('1').state().powerState).toBe('On');
  });
});
