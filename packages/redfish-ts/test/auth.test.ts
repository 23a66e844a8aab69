import { afterEach, describe, expect, it } from 'vitest';
import { RedfishAuthError } from '../src/index';
import type { RedfishClient } from '../src/index';
import { clientFor } from './support/client';
import { BMC_PASSWORD, FakeBmc } from './support/fake-bmc';
import type { FakeBmcOptions } from './support/fake-bmc';
import { SESSIONS, SYSTEM } from './support/mockup';

let bmc: FakeBmc | undefined;
let client: RedfishClient | undefined;

async function setUp(
  bmcOptions: FakeBmcOptions,
  clientOptions: Parameters<typeof clientFor>[1],
): Promise<{ bmc: FakeBmc; client: RedfishClient }> {
  bmc = await FakeBmc.start(bmcOptions);
  client = clientFor(bmc, clientOptions);
  return { bmc, client };
}

afterEach(async () => {
  await client?.close();
  await bmc?.close();
  client = undefined;
  bmc = undefined;
});

describe('basic auth', () => {
  it('sends the credentials on every request and creates no session', async () => {
    const { bmc, client } = await setUp({}, { authType: 'basic' });
    await client.get(SYSTEM);
    expect(client.authMode).toBe('basic');
    expect(bmc.requestsTo('POST', SESSIONS)).toHaveLength(0);
    const sent = bmc.requestsTo('GET', SYSTEM)[0]?.headers.authorization;
    expect(Buffer.from(String(sent).slice(6), 'base64').toString()).toBe(`root:${BMC_PASSWORD}`);
  });

  it('fails with RedfishAuthError on wrong credentials, without retrying', async () => {
    const { bmc, client } = await setUp({}, { authType: 'basic', password: 'wrong-password' });
    const err = await client.get(SYSTEM).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedfishAuthError);
    expect((err as RedfishAuthError).status).toBe(401);
    expect(bmc.requestsTo('GET', SYSTEM)).toHaveLength(1);
  });
});

describe('session auth', () => {
  it('logs in at the Sessions collection from Links.Sessions and uses X-Auth-Token', async () => {
    const { bmc, client } = await setUp({}, { authType: 'session' });
    await client.get(SYSTEM);
    expect(client.authMode).toBe('session');
    const [login] = bmc.requestsTo('POST', SESSIONS);
    expect(login?.body).toEqual({ UserName: 'root', Password: BMC_PASSWORD });
    expect(login?.headers.authorization).toBeUndefined();
    const get = bmc.requestsTo('GET', SYSTEM)[0];
    expect(get?.headers['x-auth-token']).toBe(bmc.tokensIssued[0]);
    expect(get?.headers.authorization).toBeUndefined();
    expect(client.stats.logins).toBe(1);
  });

  it('logs in again once after the session expired, and resends the request', async () => {
    const { bmc, client } = await setUp({}, { authType: 'session' });
    await client.get(SYSTEM);
    bmc.expireSessions();
    const system = await client.get(SYSTEM);
    expect(system.Id).toBe('437XR1138R2');
    expect(client.stats.logins).toBe(2);
    expect(client.stats.reLogins).toBe(1);
    const gets = bmc.requestsTo('GET', SYSTEM);
    expect(gets.map((g) => g.headers['x-auth-token'])).toEqual([
      bmc.tokensIssued[0],
      bmc.tokensIssued[0],
      bmc.tokensIssued[1],
    ]);
  });

  it('shares one re-login among concurrent requests that hit the expiry', async () => {
    const { bmc, client } = await setUp({}, { authType: 'session' });
    await client.get(SYSTEM);
    bmc.expireSessions();
    await Promise.all(Array.from({ length: 6 }, () => client.get(SYSTEM)));
    expect(bmc.requestsTo('POST', SESSIONS)).toHaveLength(2);
    expect(client.stats.reLogins).toBe(1);
  });

  it('does not loop when the fresh session is refused too', async () => {
    const { bmc, client } = await setUp({}, { authType: 'session' });
    await client.get(SYSTEM);
    // Every token is rejected from now on.
    bmc.intercept((req, res) => {
      if (req.path === SESSIONS) return false;
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{}');
      return true;
    });
    const err = await client.get(SYSTEM).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedfishAuthError);
    expect(bmc.requestsTo('POST', SESSIONS)).toHaveLength(2);
    expect(bmc.requestsTo('GET', SYSTEM)).toHaveLength(3);
  });

  it('deletes the session on close', async () => {
    const { bmc, client } = await setUp({}, { authType: 'session' });
    await client.get(SYSTEM);
    expect(bmc.sessions.size).toBe(1);
    const sessionPath = [...bmc.sessions.values()][0];
    await client.close();
    expect(bmc.sessions.size).toBe(0);
    const [del] = bmc.requestsTo('DELETE', sessionPath ?? '');
    expect(del?.headers['x-auth-token']).toBe(bmc.tokensIssued[0]);
    expect(client.stats.sessionsDeleted).toBe(1);
    await expect(client.get(SYSTEM)).rejects.toThrow(/closed/);
  });

  it('fails with RedfishAuthError when the login is refused', async () => {
    const { bmc, client } = await setUp({}, { authType: 'session', password: 'bad-password' });
    const err = await client.get(SYSTEM).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedfishAuthError);
    expect(bmc.requestsTo('GET', SYSTEM)).toHaveLength(0);
  });
});

describe('auto auth', () => {
  it('uses a session when the service offers SessionService', async () => {
    const { bmc, client } = await setUp({}, { authType: 'auto' });
    await client.get(SYSTEM);
    expect(client.authMode).toBe('session');
    expect(bmc.requestsTo('GET', SYSTEM)[0]?.headers['x-auth-token']).toBeDefined();
  });

  it('uses basic when the service offers no SessionService', async () => {
    const { bmc, client } = await setUp({ sessionService: false }, { authType: 'auto' });
    await client.get(SYSTEM);
    expect(client.authMode).toBe('basic');
    expect(bmc.requestsTo('POST', SESSIONS)).toHaveLength(0);
  });

  it('falls back to basic when creating the session fails', async () => {
    const { bmc, client } = await setUp({ sessionLoginStatus: 500 }, { authType: 'auto' });
    const system = await client.get(SYSTEM);
    expect(system.Id).toBe('437XR1138R2');
    expect(client.authMode).toBe('basic');
    expect(bmc.requestsTo('POST', SESSIONS)).toHaveLength(1);
    expect(bmc.requestsTo('GET', SYSTEM)[0]?.headers.authorization).toMatch(/^Basic /);
  });

  it('session auth without fallback reports the failed login', async () => {
    const { client } = await setUp({ sessionLoginStatus: 500 }, { authType: 'session' });
    const err = await client.get(SYSTEM).catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(500);
  });
});
