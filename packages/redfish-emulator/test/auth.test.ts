import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedfishEmulator } from '../src/index';
import { createSession, redfishRequest, startRedfishFleet } from '../src/testing';

const SESSIONS = '/redfish/v1/SessionService/Sessions';

function expectNoValidSession(res: { status: number; json: unknown }): void {
  expect(res.status).toBe(401);
  expect(res.json).toMatchObject({
    error: {
      code: expect.stringMatching(/^Base\.1\.\d+\.\d+\.NoValidSession$/),
      message: expect.any(String),
      '@Message.ExtendedInfo': [expect.objectContaining({ MessageSeverity: 'Critical' })],
    },
  });
}

describe('HTTP basic auth and sessions', () => {
  let emulator: RedfishEmulator;

  beforeAll(async () => {
    emulator = await startRedfishFleet(1, { auth: { username: 'root', password: 's3cret' } });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('accepts the right basic credentials', async () => {
    const res = await redfishRequest(emulator, 'GET', '/redfish/v1/Systems');
    expect(res.status).toBe(200);
  });

  it('refuses missing credentials, a wrong password and a wrong user with 401', async () => {
    expectNoValidSession(
      await redfishRequest(emulator, 'GET', '/redfish/v1/Systems', { auth: 'none' }),
    );
    const wrongPassword = await redfishRequest(emulator, 'GET', '/redfish/v1/Systems', {
      auth: { basic: 'root:wrong' },
    });
    expectNoValidSession(wrongPassword);
    expect(wrongPassword.headers['www-authenticate']).toBe('Basic realm="Redfish"');
    expectNoValidSession(
      await redfishRequest(emulator, 'GET', '/redfish/v1/Systems', {
        auth: { basic: 'admin:s3cret' },
      }),
    );
    // Unknown paths do not tell an anonymous caller what exists.
    expectNoValidSession(
      await redfishRequest(emulator, 'GET', '/redfish/v1/Nope', { auth: 'none' }),
    );
  });

  it('creates a session: 201 with X-Auth-Token and Location; the token authenticates', async () => {
    const res = await redfishRequest(emulator, 'POST', SESSIONS, {
      auth: 'none',
      body: { UserName: 'root', Password: 's3cret' },
    });
    expect(res.status).toBe(201);
    const token = res.headers['x-auth-token'] as string;
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(res.headers.location).toMatch(new RegExp(`^${SESSIONS}/\\w+$`));
    expect(res.json).toMatchObject({
      '@odata.id': res.headers.location,
      '@odata.type': expect.stringMatching(/^#Session\.v1_\d+_\d+\.Session$/),
      UserName: 'root',
      Password: null,
    });
    expect(res.text).not.toContain(token);

    const withToken = await redfishRequest(emulator, 'GET', '/redfish/v1/Systems/1', {
      auth: { token },
    });
    expect(withToken.status).toBe(200);
    const listed = await redfishRequest(emulator, 'GET', SESSIONS, { auth: { token } });
    expect((listed.json as { Members: unknown[] }).Members).toContainEqual({
      '@odata.id': res.headers.location,
    });
    const id = (res.headers.location as string).split('/').pop();
    expect(emulator.sessions().map((s) => s.id)).toContain(id);
  });

  it('DELETE ends the session; its token is then refused', async () => {
    const { token, location } = await createSession(emulator);
    const deleted = await redfishRequest(emulator, 'DELETE', location, { auth: { token } });
    expect(deleted.status).toBe(204);
    expectNoValidSession(
      await redfishRequest(emulator, 'GET', '/redfish/v1/Systems', { auth: { token } }),
    );
    const again = await redfishRequest(emulator, 'DELETE', location);
    expect(again.status).toBe(404);
  });

  it('refuses a session for a wrong password (401) or a missing property (400)', async () => {
    expectNoValidSession(
      await redfishRequest(emulator, 'POST', SESSIONS, {
        auth: 'none',
        body: { UserName: 'root', Password: 'nope' },
      }),
    );
    const missing = await redfishRequest(emulator, 'POST', SESSIONS, {
      auth: 'none',
      body: { UserName: 'root' },
    });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({
      error: { code: expect.stringContaining('CreateFailedMissingReqProperties') },
    });
    expect(missing.text).not.toContain('s3cret');
  });

  it('shows and changes SessionService.SessionTimeout within 30..86400', async () => {
    const service = await redfishRequest(emulator, 'GET', '/redfish/v1/SessionService');
    expect(service.json).toMatchObject({ SessionTimeout: 1800, ServiceEnabled: true });
    const ok = await redfishRequest(emulator, 'PATCH', '/redfish/v1/SessionService', {
      body: { SessionTimeout: 600 },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ SessionTimeout: 600 });
    const tooShort = await redfishRequest(emulator, 'PATCH', '/redfish/v1/SessionService', {
      body: { SessionTimeout: 5 },
    });
    expect(tooShort.status).toBe(400);
    expect(tooShort.json).toMatchObject({
      error: { code: expect.stringContaining('PropertyValueOutOfRange') },
    });
  });
});

describe('the request log', () => {
  let emulator: RedfishEmulator;

  beforeAll(async () => {
    emulator = await startRedfishFleet(1, { auth: { password: 'log-secret' } });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('records method, URL, auth kind, If-Match and status, never credentials', async () => {
    emulator.clearRequests();
    const { token } = await createSession(emulator);
    await redfishRequest(emulator, 'GET', '/redfish/v1/Systems?$top=1', { auth: { token } });
    await redfishRequest(emulator, 'PATCH', '/redfish/v1/Systems/1', {
      headers: { 'If-Match': '"nope"' },
      body: { AssetTag: 'x' },
    });
    emulator.faults.dropNext(1);
    await expect(redfishRequest(emulator, 'GET', '/redfish/v1/Chassis')).rejects.toThrow();
    expect(emulator.requests()).toEqual([
      {
        method: 'POST',
        url: '/redfish/v1/SessionService/Sessions',
        auth: 'none',
        ifMatch: undefined,
        status: 201,
      },
      {
        method: 'GET',
        url: '/redfish/v1/Systems?$top=1',
        auth: 'session',
        ifMatch: undefined,
        status: 200,
      },
      {
        method: 'PATCH',
        url: '/redfish/v1/Systems/1',
        auth: 'basic',
        ifMatch: '"nope"',
        status: 412,
      },
      { method: 'GET', url: '/redfish/v1/Chassis', auth: 'basic', ifMatch: undefined, status: 0 },
    ]);
    const logged = JSON.stringify(emulator.requests());
    expect(logged).not.toContain(token);
    expect(logged).not.toContain('log-secret');
  });
});

describe('sessions only (basic auth off)', () => {
  let emulator: RedfishEmulator;

  beforeAll(async () => {
    emulator = await startRedfishFleet(1, { auth: { basic: false } });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('refuses basic credentials but accepts a session token', async () => {
    const basic = await redfishRequest(emulator, 'GET', '/redfish/v1/Systems');
    expectNoValidSession(basic);
    expect(basic.headers['www-authenticate']).toBeUndefined();
    const { token } = await createSession(emulator);
    expect(
      (await redfishRequest(emulator, 'GET', '/redfish/v1/Systems', { auth: { token } })).status,
    ).toBe(200);
  });
});
