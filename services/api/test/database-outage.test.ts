import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  innerError,
  sendHttp,
  splitModeEnv,
  startPrivatePostgres,
  startService,
  uniqueNamespace,
  type HttpResult,
  type PrivatePostgres,
  type ServiceProcess,
} from '@galvanic/testing';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };
const POSTGRES_WORDS = /ECONNREFUSED|ECONNRESET|terminat|postgres|connection|57P01|database system/;

/**
 * A split-mode api (two workers) and a conductor on a PostgreSQL of the test's own, which the
 * test stops and starts: reads answer 503 with Retry-After in Ironic's error body while it is
 * down, and work again once it is back, with no restart of the api.
 */
describe('api during a database outage', () => {
  let postgres: PrivatePostgres;
  const processes: ServiceProcess[] = [];
  let api: ServiceProcess;
  let apiUrl: string;
  let nodeUuid: string;

  const get = (path: string): Promise<HttpResult> => sendHttp(apiUrl, 'GET', path, HEADERS);
  const READS = ['/v1/nodes', '/v1/nodes/detail', '/v1/ports', '/v1/conductors'];

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    const env = splitModeEnv(postgres.url, uniqueNamespace(), {
      GALVANIC_API__API_WORKERS: '2',
    });
    const migration = startService('packages/db/src/cli.ts', { args: ['migrate'], env });
    processes.push(migration);
    expect(await migration.exited(), migration.output()).toBe(0);
    const conductor = startService('services/conductor/src/main.ts', {
      env: { ...env, GALVANIC_DEFAULT__HOST: 'outage-c1' },
    });
    const port = await freePort();
    api = startService('services/api/src/main.ts', {
      env: { ...env, GALVANIC_DEFAULT__HOST: 'api', GALVANIC_API__PORT: String(port) },
    });
    processes.push(conductor, api);
    await Promise.all([conductor.waitFor(/conductor started/), api.waitFor(/api listening/)]);
    // Both workers up: a worker still starting when the database goes away fails its start-up
    // (and is replaced), which is not what this test is about.
    for (let waited = 0; (api.output().match(/api listening/g) ?? []).length < 2; waited += 50) {
      if (waited > 30_000) throw new Error(`the second api worker did not start:\n${api.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    apiUrl = `http://127.0.0.1:${port}`;
    const created = await sendHttp(
      apiUrl,
      'POST',
      '/v1/nodes',
      HEADERS,
      JSON.stringify({ driver: 'fake-hardware', name: 'outage-1' }),
    );
    expect(created.status, created.text).toBe(201);
    nodeUuid = (created.body as { uuid: string }).uuid;
  });

  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await Promise.all(processes.map((child) => child.exited()));
    await postgres?.destroy();
  });

  it('reads answer 503 with Retry-After while PostgreSQL is down, then work again', async () => {
    for (const path of [...READS, `/v1/nodes/${nodeUuid}`]) {
      expect((await get(path)).status, path).toBe(200);
    }

    await postgres.stop();
    // Twice over, so both workers and both kinds of failure (pooled connections the server
    // closed, new connections refused) are seen.
    for (let round = 0; round < 2; round += 1) {
      for (const path of [...READS, `/v1/nodes/${nodeUuid}`, '/v1/nodes/outage-1']) {
        const result = await get(path);
        expect(result.status, `${path}: ${result.text}`).toBe(503);
        expect(Number(result.headers['retry-after']), path).toBeGreaterThan(0);
        expect(innerError(result.body)).toEqual({
          faultcode: 'Server',
          faultstring: 'The database is temporarily unavailable, please retry.',
          debuginfo: null,
        });
        expect(result.text).not.toMatch(POSTGRES_WORDS);
      }
    }
    expect(api.child.exitCode).toBeNull();

    await postgres.start();
    let listed: HttpResult | undefined;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      listed = await get('/v1/nodes');
      if (listed.status === 200) break;
      expect(listed.status).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(listed?.status, listed?.text).toBe(200);
    expect((listed?.body as { nodes: { uuid: string }[] }).nodes.map((n) => n.uuid)).toEqual([
      nodeUuid,
    ]);
    for (const path of [...READS, `/v1/nodes/${nodeUuid}`]) {
      expect((await get(path)).status, path).toBe(200);
    }
    expect(api.child.exitCode).toBeNull();
    expect(api.output(), api.output().slice(-4000)).not.toMatch(/api worker exited/);
  }, 60_000);
});
