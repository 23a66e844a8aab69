import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest, innerError, startSplitMode, type SplitMode } from '@galvanic/testing';

/** Node fields by microversion: `conductor_group` from 1.46, `conductor` from 1.49. */
const MINOR = 49;

/** The node uuids of each power-sync share a conductor logged (debug level). */
function shares(output: string): string[][] {
  return output
    .split('\n')
    .filter((line) => line.includes('"power state sync share"'))
    .map((line) => (JSON.parse(line) as { share: string[] }).share);
}

describe('conductor groups, as Ironic has them', () => {
  let split: SplitMode;
  let plain: string;
  let racked: string;

  beforeAll(async () => {
    split = await startSplitMode({
      conductors: ['c1', 'r1'],
      env: { GALVANIC_DEFAULT__DEBUG: 'true', GALVANIC_CONDUCTOR__SYNC_POWER_STATE_INTERVAL: '1' },
      conductorEnv: (host) =>
        host === 'r1'
          ? { GALVANIC_CONDUCTOR__CONDUCTOR_GROUP: 'Rack1' }
          : ({} as Record<string, string>),
    });
    const create = async (body: Record<string, unknown>) => {
      const created = await apiRequest(split.apiUrl, 'POST', '/v1/nodes', { minor: MINOR, body });
      expect(created.status, created.text).toBe(201);
      return (created.body as { uuid: string }).uuid;
    };
    plain = await create({ driver: 'fake-hardware', name: 'plain' });
    racked = await create({ driver: 'fake-hardware', name: 'racked', conductor_group: 'rack1' });
  }, 120_000);

  afterAll(async () => {
    await split?.stop();
  });

  const node = async (uuid: string) =>
    (await apiRequest(split.apiUrl, 'GET', `/v1/nodes/${uuid}`, { minor: MINOR })).body as {
      conductor: string | null;
      conductor_group: string;
      power_state: string | null;
    };

  it('routes a node only to conductors of its group (case-insensitive)', async () => {
    expect(await node(racked)).toMatchObject({ conductor_group: 'rack1', conductor: 'r1' });
    expect(await node(plain)).toMatchObject({ conductor_group: '', conductor: 'c1' });
    for (const uuid of [plain, racked]) {
      const powered = await apiRequest(split.apiUrl, 'PUT', `/v1/nodes/${uuid}/states/power`, {
        minor: MINOR,
        body: { target: 'power on' },
      });
      expect(powered.status, powered.text).toBe(202);
    }
    const deadline = Date.now() + 20_000;
    while ((await node(racked)).power_state !== 'power on' && Date.now() < deadline)
      await sleep(100);
    expect((await node(racked)).power_state).toBe('power on');
  });

  it("syncs a node's power state only on a conductor of its group", async () => {
    const conductors = ['c1', 'r1'].map((host) => split.conductors.get(host)!);
    const since = conductors.map((c) => c.output().length);
    // The second pass logged from now on began after the nodes existed.
    const passes = () => conductors.map((c, i) => shares(c.output().slice(since[i])));
    const deadline = Date.now() + 30_000;
    while (passes().some((list) => list.length < 2) && Date.now() < deadline) await sleep(100);
    const [c1, r1] = passes().map((list) => list.at(-1));
    expect(c1).toEqual([plain]);
    expect(r1).toEqual([racked]);
  });

  it("answers Ironic's NoValidHost for a group with no live conductor; driver calls go to any group", async () => {
    const c1 = split.conductors.get('c1')!;
    c1.kill('SIGTERM');
    expect(await c1.exited()).toBe(0);
    const refused = await apiRequest(split.apiUrl, 'PUT', `/v1/nodes/${plain}/states/power`, {
      minor: MINOR,
      body: { target: 'power off' },
    });
    expect(refused.status).toBe(503);
    expect(innerError(refused.body).faultstring).toBe(
      'No valid host was found. Reason: No conductor service registered which supports driver ' +
        'fake-hardware for conductor group "".',
    );
    // Driver-level calls are not bound to a group, as in Ironic: r1 (rack1) answers them.
    const properties = await apiRequest(
      split.apiUrl,
      'GET',
      '/v1/drivers/fake-hardware/properties',
      { minor: MINOR },
    );
    expect(properties.status, properties.text).toBe(200);
    // Nodes of rack1 are still served.
    const racked2 = await apiRequest(split.apiUrl, 'PUT', `/v1/nodes/${racked}/states/power`, {
      minor: MINOR,
      body: { target: 'power off' },
    });
    expect(racked2.status, racked2.text).toBe(202);
  });
});
