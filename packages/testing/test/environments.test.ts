import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { baremetal, createInProcess, fromExisting, sendHttp } from '../src/index';

describe('test environments', () => {
  it('createInProcess runs the api and two conductors in this process on an embedded PostgreSQL, and tears all of it down', async () => {
    const env = await createInProcess({ conductors: ['c1', 'c2'] });
    const databaseUrl = env.databaseUrl!;
    try {
      const conductors = (await baremetal(env.apiUrl, 'conductor', 'list')) as {
        Hostname: string;
        Alive: boolean;
      }[];
      expect(conductors.map((c) => [c.Hostname, c.Alive]).sort()).toEqual([
        ['c1', true],
        ['c2', true],
      ]);
      const node = (await baremetal(
        env.apiUrl,
        'node',
        'create',
        '--driver',
        'fake-hardware',
        '--name',
        'env-node',
      )) as { uuid: string };
      const power = await sendHttp(
        env.apiUrl,
        'PUT',
        `/v1/nodes/${node.uuid}/states/power`,
        { 'Content-Type': 'application/json' },
        JSON.stringify({ target: 'power on' }),
      );
      expect(power.status).toBe(202);
      const shown = (await baremetal(env.apiUrl, 'node', 'show', 'env-node')) as {
        power_state: string;
      };
      expect(shown.power_state).toBe('power on');
    } finally {
      await env.teardown();
    }
    await expect(sendHttp(env.apiUrl, 'GET', '/v1')).rejects.toThrow(/ECONNREFUSED/);
    const client = new pg.Client({ connectionString: databaseUrl });
    await expect(client.connect()).rejects.toThrow(/ECONNREFUSED/);
    await env.teardown();
  });

  it('fromExisting points at a running API and leaves it alone', async () => {
    const env = await createInProcess();
    try {
      const existing = fromExisting(`${env.apiUrl}/`);
      expect(existing.apiUrl).toBe(env.apiUrl);
      await existing.teardown();
      expect((await sendHttp(existing.apiUrl, 'GET', '/v1')).status).toBe(200);
    } finally {
      await env.teardown();
    }
  });
});
