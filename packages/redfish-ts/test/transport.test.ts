import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedfishConnectionError, RedfishTimeout } from '../src/index';
import type { RedfishClient, RedfishError } from '../src/index';
import { clientFor } from './support/client';
import { BMC_PASSWORD, BMC_USER, FakeBmc, json } from './support/fake-bmc';
import { RESET_TARGET, SYSTEM, errorBody } from './support/mockup';
import { RedfishClient as Client } from '../src/index';

let bmc: FakeBmc;
let client: RedfishClient;

beforeEach(async () => {
  bmc = await FakeBmc.start();
  client = clientFor(bmc, { authType: 'basic' });
});

afterEach(async () => {
  await client.close();
  await bmc.close();
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('condition not reached');
}

describe('retries', () => {
  it('retries a GET answered 503, waiting as long as Retry-After asks', async () => {
    let refused = 0;
    bmc.intercept((req, res) => {
      if (req.path !== SYSTEM || refused > 0) return false;
      refused++;
      json(res, 503, errorBody('Base.1.8.ServiceTemporarilyUnavailable', 'Busy.'), {
        'Retry-After': '1',
      });
      return true;
    });
    const system = await client.get(SYSTEM);
    expect(system.Id).toBe('437XR1138R2');
    const [first, second] = bmc.requestsTo('GET', SYSTEM);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
    expect(client.stats.retries).toBe(1);
  });

  it('fails with the last 5xx after the bounded retries', async () => {
    bmc.intercept((req, res) => {
      if (req.path !== SYSTEM) return false;
      json(res, 500, errorBody('Base.1.8.InternalError', 'Internal error.'));
      return true;
    });
    const err = (await client.get(SYSTEM).catch((e: unknown) => e)) as RedfishError;
    expect(err.status).toBe(500);
    expect(bmc.requestsTo('GET', SYSTEM)).toHaveLength(3); // 1 + retries (2)
  });

  it('does not resend an action answered 503', async () => {
    bmc.intercept((req, res) => {
      if (req.path !== RESET_TARGET) return false;
      json(res, 503, errorBody('Base.1.8.ServiceTemporarilyUnavailable', 'Busy.'), {
        'Retry-After': '0',
      });
      return true;
    });
    const err = (await client
      .system()
      .reset('ForceRestart')
      .catch((e: unknown) => e)) as RedfishError;
    expect(err.status).toBe(503);
    expect(bmc.requestsTo('POST', RESET_TARGET)).toHaveLength(1);
  });

  it('retries a GET whose connection was dropped', async () => {
    let dropped = false;
    bmc.intercept((req, _res, raw) => {
      if (req.path !== SYSTEM || dropped) return false;
      dropped = true;
      raw.socket.destroy();
      return true;
    });
    expect((await client.get(SYSTEM)).Id).toBe('437XR1138R2');
    expect(bmc.requestsTo('GET', SYSTEM)).toHaveLength(2);
    expect(client.stats.retries).toBe(1);
    expect(client.stats.connectionErrors).toBe(1);
  });

  it('does not resend a Reset once the BMC may have received it', async () => {
    bmc.intercept((req, _res, raw) => {
      if (req.path !== RESET_TARGET) return false;
      raw.socket.destroy();
      return true;
    });
    const err = (await client
      .system()
      .reset('ForceRestart')
      .catch((e: unknown) => e)) as RedfishConnectionError;
    expect(err).toBeInstanceOf(RedfishConnectionError);
    expect(err.requestMayHaveBeenSent).toBe(true);
    expect(bmc.requestsTo('POST', RESET_TARGET)).toHaveLength(1);
    expect(client.stats.retries).toBe(0);
  });

  it('does not resend a Reset that timed out after it was sent', async () => {
    await client.close();
    client = clientFor(bmc, { authType: 'basic', requestTimeoutMs: 200 });
    bmc.intercept((req) => req.path === RESET_TARGET); // never answers
    const err = (await client
      .system()
      .reset('ForceRestart')
      .catch((e: unknown) => e)) as RedfishTimeout;
    expect(err).toBeInstanceOf(RedfishTimeout);
    expect(err.requestMayHaveBeenSent).toBe(true);
    expect(bmc.requestsTo('POST', RESET_TARGET)).toHaveLength(1);
  });

  it('retries a GET that timed out', async () => {
    await client.close();
    client = clientFor(bmc, { authType: 'basic', requestTimeoutMs: 200 });
    let stalled = false;
    bmc.intercept((req) => {
      if (req.path !== SYSTEM || stalled) return false;
      stalled = true;
      return true; // never answers
    });
    expect((await client.get(SYSTEM)).Id).toBe('437XR1138R2');
    expect(client.stats.timeouts).toBe(1);
    expect(bmc.requestsTo('GET', SYSTEM)).toHaveLength(2);
  });

  it('retries even an action when no connection could be made, then reports it unsent', async () => {
    const port = await closedPort();
    const offline = new Client({
      address: `http://127.0.0.1:${port}`,
      username: BMC_USER,
      password: BMC_PASSWORD,
      authType: 'basic',
      retries: 2,
      retryBaseDelayMs: 5,
    });
    const err = (await offline
      .performAction('/redfish/v1/Systems/1/Actions/ComputerSystem.Reset', { ResetType: 'On' })
      .catch((e: unknown) => e)) as RedfishConnectionError;
    await offline.close();
    expect(err).toBeInstanceOf(RedfishConnectionError);
    expect(err.errno).toBe('ECONNREFUSED');
    expect(err.requestMayHaveBeenSent).toBe(false);
    expect(offline.stats.retries).toBe(2);
  });
});

describe('close', () => {
  it('ends a request waiting to retry, as closed', async () => {
    await client.close();
    // Without close() ending the wait, this request would sleep for an hour.
    client = clientFor(bmc, { authType: 'basic', maxRetryDelayMs: 3_600_000 });
    bmc.intercept((req, res) => {
      if (req.path !== SYSTEM) return false;
      json(res, 503, errorBody('Base.1.8.ServiceTemporarilyUnavailable', 'Busy.'), {
        'Retry-After': '3600',
      });
      return true;
    });
    const pending = client.get(SYSTEM).catch((e: unknown) => e);
    await until(() => bmc.requestsTo('GET', SYSTEM).length === 1);
    await client.close();
    expect(String(await pending)).toMatch(/closed/);
    expect(bmc.requestsTo('GET', SYSTEM)).toHaveLength(1);
  });
});

describe('concurrency', () => {
  it('keeps at most maxInFlight requests on the wire per BMC and queues the rest', async () => {
    await client.close();
    client = clientFor(bmc, { authType: 'basic', maxInFlight: 2 });
    const held: Array<() => void> = [];
    bmc.intercept((req, res) => {
      if (req.path !== SYSTEM) return false;
      held.push(() => json(res, 200, bmc.docs.get(SYSTEM)));
      return true;
    });
    const all = Promise.all(Array.from({ length: 6 }, () => client.get(SYSTEM)));
    await until(() => held.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(held).toHaveLength(2);
    expect(client.stats.queued).toBe(4);
    expect(client.stats.inFlight).toBe(2);
    let released = 0;
    while (released < 6) {
      await until(() => held.length > released);
      held[released++]!();
    }
    expect(await all).toHaveLength(6);
    expect(bmc.maxInFlight).toBe(2);
    expect(client.stats.queued).toBe(0);
  });
});
