import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendHttp, startSplitMode, type SplitMode } from '@galvanic/testing';
import { startAcmeSim, type AcmeSim } from 'acme-galvanic-driver/sim';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };
const CHASSIS = ['ch-1', 'ch-2', 'ch-3', 'ch-4', 'ch-5', 'ch-6'];

interface NodeBody {
  uuid: string;
  power_state: string | null;
  conductor: string;
  reservation: string | null;
}

describe('power-state sync: each conductor reads exactly its share of the nodes from their BMCs', () => {
  let cluster: SplitMode;
  let sim: AcmeSim;
  let apiUrl: string;
  const api = (method: string, path: string, body?: unknown) =>
    sendHttp(apiUrl, method, path, HEADERS, body === undefined ? undefined : JSON.stringify(body));
  const node = async (ident: string) => (await api('GET', `/v1/nodes/${ident}`)).body as NodeBody;

  beforeAll(async () => {
    sim = await startAcmeSim({ chassis: CHASSIS, transitionMs: 10 });
    cluster = await startSplitMode({
      env: {
        GALVANIC_DEFAULT__DRIVER_PACKAGES: 'acme-galvanic-driver',
        GALVANIC_DEFAULT__ENABLED_HARDWARE_TYPES: 'fake-hardware,acme-hardware',
        GALVANIC_CONDUCTOR__SYNC_POWER_STATE_INTERVAL: '0.5',
        GALVANIC_FAKE__VENDOR_DELAY: '5',
      },
    });
    apiUrl = cluster.apiUrl;
  });

  afterAll(async () => {
    await cluster?.stop();
    await sim?.close();
  });

  it('records a power state changed behind its back, by the node owner only', async () => {
    for (const chassis of CHASSIS) {
      const created = await api('POST', '/v1/nodes', {
        driver: 'acme-hardware',
        name: chassis,
        driver_info: { acme_address: sim.url, acme_chassis_id: chassis },
      });
      expect(created.status).toBe(201);
      expect(
        (await api('PUT', `/v1/nodes/${chassis}/states/power`, { target: 'power on' })).status,
      ).toBe(202);
    }
    await expect
      .poll(
        async () =>
          (await Promise.all(CHASSIS.map(node))).every((n) => n.power_state === 'power on'),
        { timeout: 10_000 },
      )
      .toBe(true);
    const owners = new Set((await Promise.all(CHASSIS.map(node))).map((n) => n.conductor));
    expect(owners).toEqual(new Set(['c1', 'c2']));

    // Someone turns three machines off at the chassis, without telling Galvanic.
    for (const chassis of CHASSIS.slice(0, 3)) sim.chassis(chassis)!.power = 'off';
    await expect
      .poll(async () => (await Promise.all(CHASSIS.map(node))).map((n) => n.power_state), {
        timeout: 10_000,
      })
      .toEqual(['power off', 'power off', 'power off', 'power on', 'power on', 'power on']);

    // Each change was recorded by the conductor the ring gives the node to, and by no other.
    for (const chassis of CHASSIS.slice(0, 3)) {
      const { uuid, conductor } = await node(chassis);
      const recordedBy = [...cluster.conductors].filter(([, child]) =>
        child
          .output()
          .split('\n')
          .some(
            (line) =>
              line.includes('power state sync records the state found') && line.includes(uuid),
          ),
      );
      expect(recordedBy.map(([host]) => host)).toEqual([conductor]);
    }
  });

  it('skips locked nodes without waiting on them', async () => {
    // A vendor method holds the node's exclusive lock for five seconds, in a stable state.
    await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'busy' });
    expect(
      (await api('POST', '/v1/nodes/busy/vendor_passthru?method=second_method', { bar: 'kazoo' }))
        .status,
    ).toBe(202);
    await expect.poll(async () => (await node('busy')).reservation).not.toBeNull();
    const owner = (await node('busy')).conductor;
    // Only passes from now on: earlier ones may have met the previous test's nodes locked.
    const seen = cluster.conductors.get(owner)!.output().length;
    // Passes run every half second; one that saw the locked node reports it skipped, quickly.
    await expect
      .poll(
        () =>
          cluster.conductors
            .get(owner)!
            .output()
            .slice(seen)
            .split('\n')
            .slice(1) // the line being written when the mark was taken may be cut
            .filter((line) => line.includes('"power state sync pass"'))
            .map((line) => JSON.parse(line) as { skipped_locked: number; duration_ms: number })
            .find((pass) => pass.skipped_locked >= 1),
        { timeout: 10_000 },
      )
      .toMatchObject({ skipped_locked: 1 });
  });
});
