import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  baremetalWith,
  createInProcess,
  sendHttp,
  type InProcessEnvironment,
} from '@galvanic/testing';

const ADMIN_PASSWORD = 'correct horse battery staple';

/** Adds or replaces a bcrypt user with Apache's own htpasswd, as an operator would. */
function htpasswd(file: string, user: string, password: string, create = false): void {
  execFileSync('htpasswd', [create ? '-cbB' : '-bB', file, user, password], { stdio: 'ignore' });
}

describe('auth_strategy = http_basic (in-process environment, real baremetal CLI)', () => {
  let env: InProcessEnvironment;
  let folder: string;
  let userFile: string;
  const log: string[] = [];
  const cli = (user: string, password: string, ...args: string[]) =>
    baremetalWith(
      [
        '--os-auth-type',
        'http_basic',
        '--os-username',
        user,
        '--os-password',
        password,
        '--os-endpoint',
        env.apiUrl,
        '--os-baremetal-api-version',
        '1.82',
      ],
      ...args,
    );
  const basic = (user: string, password: string) => ({
    Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  });

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'galvanic-basic-'));
    userFile = join(folder, 'htpasswd');
    htpasswd(userFile, 'admin', ADMIN_PASSWORD, true);
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => log.push(...chunk.toString('utf8').split('\n')));
    env = await createInProcess({
      env: {
        GALVANIC_DEFAULT__AUTH_STRATEGY: 'http_basic',
        GALVANIC_DEFAULT__HTTP_BASIC_AUTH_USER_FILE: userFile,
        GALVANIC_API__AUTH_FAILURES_PER_CLIENT: '8',
      },
      logStream: stream,
    });
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers the root and version documents and the agent endpoints without credentials', async () => {
    expect((await apiRequest(env.apiUrl, 'GET', '/')).status).toBe(200);
    expect((await apiRequest(env.apiUrl, 'GET', '/v1')).status).toBe(200);
    expect((await apiRequest(env.apiUrl, 'GET', '/v1/')).status).toBe(200);
    const lookup = await apiRequest(env.apiUrl, 'GET', '/v1/lookup?addresses=52:54:00:00:00:01');
    expect(lookup.status).not.toBe(401);
    const heartbeat = await apiRequest(
      env.apiUrl,
      'POST',
      '/v1/heartbeat/1be26c0b-03f2-4d2e-ae87-c02d7f33c123',
      { body: { callback_url: 'http://127.0.0.1:9999' } },
    );
    expect(heartbeat.status).not.toBe(401);
  });

  it('refuses every other anonymous request with 401, Basic realm and Ironic body', async () => {
    const uuid = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';
    const requests: [string, string][] = [
      ['GET', '/v1/nodes'],
      ['GET', '/v1/nodes/detail'],
      ['GET', `/v1/nodes/${uuid}`],
      ['POST', '/v1/nodes'],
      ['PATCH', `/v1/nodes/${uuid}`],
      ['DELETE', `/v1/nodes/${uuid}`],
      ['PUT', `/v1/nodes/${uuid}/states/power`],
      ['GET', '/v1/ports'],
      ['GET', '/v1/chassis'],
      ['GET', '/v1/drivers'],
      ['GET', '/v1/conductors'],
      ['GET', '/v1/no-such-thing'],
    ];
    for (const [method, path] of requests) {
      const body = ['POST', 'PATCH', 'PUT'].includes(method) ? {} : undefined;
      const result = await apiRequest(env.apiUrl, method, path, { body });
      expect(result.status, `${method} ${path}`).toBe(401);
      expect(result.headers['www-authenticate']).toBe('Basic realm="Baremetal API"');
      expect(result.body).toEqual({ error: { message: 'Authorization required', code: 401 } });
    }
    const wrong = await apiRequest(env.apiUrl, 'GET', '/v1/nodes', {
      headers: basic('admin', 'wrong'),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ error: { message: 'Incorrect username or password', code: 401 } });
    const unknown = await apiRequest(env.apiUrl, 'GET', '/v1/nodes', {
      headers: basic('nobody', ADMIN_PASSWORD),
    });
    expect(unknown.status).toBe(401);
    const bearer = await sendHttp(env.apiUrl, 'GET', '/v1/nodes', { Authorization: 'Bearer x' });
    expect(bearer.status).toBe(400);
    expect(bearer.body).toEqual({
      error: { message: 'Unsupported authorization type "Bearer"', code: 400 },
    });
  });

  it('lets the baremetal CLI create, list, power and delete nodes with credentials', async () => {
    const created = await cli(
      'admin',
      ADMIN_PASSWORD,
      'node',
      'create',
      '--driver',
      'fake-hardware',
      '--name',
      'basic-1',
      '-f',
      'json',
    );
    expect(created.code, created.stderr).toBe(0);
    const uuid = (JSON.parse(created.stdout) as { uuid: string }).uuid;
    const listed = await cli('admin', ADMIN_PASSWORD, 'node', 'list', '-f', 'json');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { UUID: string }[]).map((n) => n.UUID)).toContain(uuid);
    const power = await cli('admin', ADMIN_PASSWORD, 'node', 'power', 'on', 'basic-1');
    expect(power.code, power.stderr).toBe(0);
    const refused = await cli('admin', 'not the password', 'node', 'list', '-f', 'json');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Incorrect username or password|401/);
    const deleted = await cli('admin', ADMIN_PASSWORD, 'node', 'delete', uuid);
    expect(deleted.code, deleted.stderr).toBe(0);
  }, 120_000);

  it('re-reads the user file when it changes', async () => {
    const before = await apiRequest(env.apiUrl, 'GET', '/v1/nodes', {
      headers: basic('operator', 'second-password'),
    });
    expect(before.status).toBe(401);
    htpasswd(userFile, 'operator', 'second-password');
    const after = await cli('operator', 'second-password', 'node', 'list', '-f', 'json');
    expect(after.code, after.stderr).toBe(0);
  }, 60_000);

  it('logs each state-changing request once in the audit trail, never the password', async () => {
    const created = await apiRequest(env.apiUrl, 'POST', '/v1/nodes', {
      body: { driver: 'fake-hardware', name: 'audited', driver_info: { ipmi_password: 'hunter2' } },
      headers: basic('admin', ADMIN_PASSWORD),
    });
    expect(created.status, created.text).toBe(201);
    const requestId = created.headers['openstack-request-id'];
    await expect
      .poll(() =>
        log.filter((line) => line.includes('"audit"') && line.includes(String(requestId))),
      )
      .toHaveLength(1);
    const line = JSON.parse(
      log.find((l) => l.includes('"audit"') && l.includes(String(requestId)))!,
    ) as Record<string, unknown>;
    expect(line).toMatchObject({
      user: 'admin',
      method: 'POST',
      path: '/v1/nodes',
      status: 201,
      outcome: 'success',
    });
    const anonymous = await apiRequest(env.apiUrl, 'DELETE', '/v1/nodes/audited');
    expect(anonymous.status).toBe(401);
    await expect
      .poll(() =>
        log.some(
          (l) => l.includes('"audit"') && l.includes('"node":"audited"') && l.includes('401'),
        ),
      )
      .toBe(true);
    const text = log.join('\n');
    expect(text).not.toContain(ADMIN_PASSWORD);
    expect(text).not.toContain('hunter2');
  });

  it('counts failed logins per client and refuses a client that keeps failing', async () => {
    let status = 0;
    for (let attempt = 0; attempt < 12 && status !== 429; attempt += 1) {
      status = (
        await apiRequest(env.apiUrl, 'GET', '/v1/nodes', { headers: basic('admin', 'guess') })
      ).status;
    }
    expect(status).toBe(429);
    // Even the right password waits now: guessing is not worth it.
    const right = await apiRequest(env.apiUrl, 'GET', '/v1/nodes', {
      headers: basic('admin', ADMIN_PASSWORD),
    });
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
  });
});
