/**
 * Node lists keep each node's rendering by the version of its row: what they show must be what a
 * fresh rendering shows after every kind of change, with the live fields (lock holder, conductor)
 * read anew on every request.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPLICATION_NAME_PREFIX, LOCK_NAMESPACE } from '@galvanic/db/node-locks';
import { apiRequest, createInProcess, type InProcessEnvironment } from '@galvanic/testing';

type NodeJson = Record<string, unknown> & { uuid: string; name: string };

describe('node lists with renderings kept by row version', () => {
  let env: InProcessEnvironment;
  const api = (method: string, path: string, minor = 82, body?: unknown) =>
    apiRequest(env.apiUrl, method, path, { minor, ...(body === undefined ? {} : { body }) });
  const listed = async (path: string, minor = 82): Promise<NodeJson[]> => {
    const answer = await api('GET', path, minor);
    expect(answer.status, answer.text).toBe(200);
    return (answer.body as { nodes: NodeJson[] }).nodes;
  };
  const one = async (name: string, path = '/v1/nodes/detail', minor = 82) =>
    (await listed(path, minor)).find((node) => node.name === name)!;

  beforeAll(async () => {
    env = await createInProcess({ database: 'shared' });
    for (const name of ['kept-1', 'kept-2', 'kept-3']) {
      const created = await api('POST', '/v1/nodes', 82, { name, driver: 'fake-hardware' });
      expect(created.status, created.text).toBe(201);
    }
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('shows each node as GET of the node does, the second time from what it kept', async () => {
    for (let round = 0; round < 2; round += 1) {
      for (const node of await listed('/v1/nodes/detail')) {
        const shown = await api('GET', `/v1/nodes/${node.uuid}`);
        expect(node).toEqual(shown.body);
      }
    }
  });

  it('shows a change made by any route at once', async () => {
    await one('kept-1');
    const patched = await api('PATCH', '/v1/nodes/kept-1', 82, [
      { op: 'add', path: '/extra/color', value: 'red' },
    ]);
    expect(patched.status, patched.text).toBe(200);
    expect((await one('kept-1')).extra).toEqual({ color: 'red' });
    expect((await api('PUT', '/v1/nodes/kept-1/maintenance', 82, { reason: 'kept?' })).status).toBe(
      202,
    );
    const inMaintenance = await one('kept-1');
    expect(inMaintenance.maintenance).toBe(true);
    expect(inMaintenance.maintenance_reason).toBe('kept?');
    // Behind the API's back, too: a write to the row is a new version, whoever makes it.
    const client = new pg.Client({ connectionString: env.databaseUrl });
    await client.connect();
    try {
      await client.query("UPDATE nodes SET description = 'written in SQL' WHERE name = 'kept-2'");
    } finally {
      await client.end();
    }
    expect((await one('kept-2')).description).toBe('written in SQL');
  });

  it('keeps renderings apart by microversion, fields and detail', async () => {
    await one('kept-3');
    // Traits came with 1.37, the conductor with 1.49.
    const older = await one('kept-3', '/v1/nodes/detail', 36);
    expect(older).not.toHaveProperty('traits');
    expect(older).not.toHaveProperty('conductor');
    expect(await one('kept-3', '/v1/nodes/detail', 82)).toHaveProperty('traits', []);
    expect(Object.keys(await one('kept-3', '/v1/nodes?fields=uuid,name'))).toEqual([
      'uuid',
      'name',
      'links',
    ]);
    const brief = await one('kept-3', '/v1/nodes');
    expect(Object.keys(brief).sort()).toEqual([
      'instance_uuid',
      'links',
      'maintenance',
      'name',
      'power_state',
      'provision_state',
      'uuid',
    ]);
  });

  it('reads the lock holder anew for every list, though the row did not change', async () => {
    expect((await one('kept-3')).reservation).toBeNull();
    const node = (await api('GET', '/v1/nodes/kept-3')).body as { id?: number; uuid: string };
    const holder = new pg.Client({
      connectionString: env.databaseUrl,
      application_name: `${DEFAULT_APPLICATION_NAME_PREFIX}lock-holder`,
    });
    await holder.connect();
    try {
      const { rows } = await holder.query<{ id: number }>('SELECT id FROM nodes WHERE uuid = $1', [
        node.uuid,
      ]);
      await holder.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, rows[0]!.id]);
      expect((await one('kept-3')).reservation).toBe('lock-holder');
      await holder.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, rows[0]!.id]);
      expect((await one('kept-3')).reservation).toBeNull();
    } finally {
      await holder.end();
    }
  });

  it('pages with the marker of the last node listed', async () => {
    const first = await api('GET', '/v1/nodes?limit=2');
    const body = first.body as { nodes: NodeJson[]; next: string };
    expect(body.nodes).toHaveLength(2);
    expect(body.next).toContain(`marker=${body.nodes[1]!.uuid}`);
    const rest = await listed(`/v1/nodes?limit=2&marker=${body.nodes[1]!.uuid}`);
    expect(rest.map((node) => node.name)).toEqual(['kept-3']);
  });
});
