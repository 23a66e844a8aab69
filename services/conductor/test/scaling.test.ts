import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  queryDatabase,
  startSplitMode,
  type ServiceProcess,
  type SplitMode,
} from '@galvanic/testing';

const NODES = 40;
const LOAD_WORKERS = 6;
/** As deployed (heartbeats, routing refresh), with BMCs that take their time as real ones do. */
const SERVICE_ENV = {
  GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL: '10',
  GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: '60',
  GALVANIC_API__CONDUCTOR_REFRESH_INTERVAL: '2',
  GALVANIC_FAKE__POWER_DELAY: '2',
  GALVANIC_FAKE__VENDOR_DELAY: '0.3',
};
const CONDUCTOR_ENV = {
  // Every conductor logs the share of the nodes each power-sync pass covered (debug level).
  GALVANIC_DEFAULT__DEBUG: 'true',
  GALVANIC_CONDUCTOR__SYNC_POWER_STATE_INTERVAL: '1',
  GALVANIC_CONDUCTOR__GRACEFUL_SHUTDOWN_TIMEOUT: '20',
};

interface Outcome {
  op: string;
  status: number;
  error?: string;
}

/**
 * A steady mix of what operators send: reads, power actions and sync vendor passthru, from
 * LOAD_WORKERS clients at once, until stopped. Every response is kept.
 */
function startLoad(apiUrl: string, uuids: readonly string[]) {
  const outcomes: Outcome[] = [];
  let running = true;
  const worker = async (index: number) => {
    for (let i = index; running; i++) {
      const uuid = uuids[(i * 7 + index) % uuids.length]!;
      const pick = i % 4;
      let op: string;
      let request: Promise<{ status: number; text: string }>;
      if (pick === 0 || pick === 2) {
        op = 'read';
        request = apiRequest(apiUrl, 'GET', `/v1/nodes/${uuid}`, { minor: 46 });
      } else if (pick === 1) {
        op = 'power';
        request = apiRequest(apiUrl, 'PUT', `/v1/nodes/${uuid}/states/power`, {
          minor: 46,
          body: { target: i % 8 === 1 ? 'power on' : 'power off' },
        });
      } else {
        op = 'passthru';
        request = apiRequest(
          apiUrl,
          'POST',
          `/v1/nodes/${uuid}/vendor_passthru?method=third_method_sync`,
          { minor: 46, body: { bar: 'meow' } },
        );
      }
      try {
        const { status, text } = await request;
        outcomes.push(status >= 400 ? { op, status, error: text } : { op, status });
      } catch (error) {
        outcomes.push({ op, status: 0, error: String(error) });
      }
      await sleep(5);
    }
  };
  const workers = Array.from({ length: LOAD_WORKERS }, (_, index) => worker(index));
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

interface ShareLine {
  host: string;
  share: string[];
}

/** The power-sync share lines a conductor logged after `offset` characters of its output. */
function shareLines(host: string, conductor: ServiceProcess, offset: number): ShareLine[] {
  return conductor
    .output()
    .slice(offset)
    .split('\n')
    .filter((line) => line.includes('"power state sync share"'))
    .map((line) => ({ host, share: (JSON.parse(line) as { share: string[] }).share }));
}

describe('scaling conductors 1 → 4 → 1 under load, one at a time', () => {
  let split: SplitMode;
  let uuids: string[];
  const live = new Map<string, ServiceProcess>();

  beforeAll(async () => {
    split = await startSplitMode({
      conductors: ['c1'],
      env: SERVICE_ENV,
      conductorEnv: () => CONDUCTOR_ENV,
    });
    live.set('c1', split.conductors.get('c1')!);
    uuids = [];
    for (let i = 0; i < NODES; i++) {
      const created = await apiRequest(split.apiUrl, 'POST', '/v1/nodes', {
        minor: 46,
        body: { driver: 'fake-hardware', name: `scale-${i}` },
      });
      expect(created.status, created.text).toBe(201);
      uuids.push((created.body as { uuid: string }).uuid);
    }
  }, 120_000);

  afterAll(async () => {
    await split?.stop();
  });

  /**
   * Every node is in exactly one live conductor's power-sync share. Per conductor, the passes
   * logged after `offset` are taken but the first (which may have begun before the change); a
   * node changing its power at a pass is not among that pass's candidates, so the shares of
   * three passes are joined.
   */
  async function expectEachNodeSyncedByOne(offsets: Map<string, number>): Promise<void> {
    const owners = new Map<string, Set<string>>();
    for (const [host, conductor] of live) {
      const deadline = Date.now() + 30_000;
      let lines = shareLines(host, conductor, offsets.get(host)!);
      while (lines.length < 4 && Date.now() < deadline) {
        await sleep(100);
        lines = shareLines(host, conductor, offsets.get(host)!);
      }
      expect(lines.length, `${host} logged four power-sync passes`).toBeGreaterThanOrEqual(4);
      for (const { share } of lines.slice(1)) {
        for (const uuid of share) owners.set(uuid, (owners.get(uuid) ?? new Set()).add(host));
      }
    }
    for (const uuid of uuids) {
      const hosts = [...(owners.get(uuid) ?? [])];
      expect(hosts.length, `node ${uuid} synced by [${hosts.join(', ')}]`).toBe(1);
    }
    expect([...owners.keys()].sort()).toEqual([...uuids].sort());
  }

  const outputOffsets = () =>
    new Map([...live].map(([host, conductor]) => [host, conductor.output().length]));

  async function addConductor(host: string): Promise<void> {
    const conductor = split.start('services/conductor/src/main.ts', {
      GALVANIC_DEFAULT__HOST: host,
      ...CONDUCTOR_ENV,
    });
    await conductor.waitFor(/conductor started/, 60_000);
    live.set(host, conductor);
  }

  async function removeConductor(host: string): Promise<void> {
    const conductor = live.get(host)!;
    live.delete(host);
    conductor.kill('SIGTERM');
    expect(await conductor.exited()).toBe(0);
    // It left the ring itself: marked offline, not waiting for its heartbeat to time out.
    const [row] = await queryDatabase<{ online: boolean }>(
      split.database.url,
      'SELECT online FROM conductors WHERE hostname = $1',
      [host],
    );
    expect(row?.online).toBe(false);
    expect(conductor.output()).toMatch(/conductor unregistered/);
    // And it holds no lock any more.
    expect((await reservedNodes()).filter((node) => node.reservation === host)).toEqual([]);
  }

  async function reservedNodes(): Promise<{ uuid: string; reservation: string | null }[]> {
    const listed = await apiRequest(split.apiUrl, 'GET', '/v1/nodes?fields=uuid,reservation', {
      minor: 46,
    });
    const nodes = (listed.body as { nodes: { uuid: string; reservation: string | null }[] }).nodes;
    return nodes.filter((node) => node.reservation !== null);
  }

  it('fails no request but for 409s from real contention, and power sync covers each node once', async () => {
    const load = startLoad(split.apiUrl, uuids);
    try {
      await sleep(1500);
      for (const step of [
        () => addConductor('c2'),
        () => addConductor('c3'),
        () => addConductor('c4'),
        () => removeConductor('c4'),
        () => removeConductor('c3'),
        () => removeConductor('c2'),
      ]) {
        await step();
        await sleep(1000);
        await expectEachNodeSyncedByOne(outputOffsets());
      }
    } finally {
      await load.stop();
    }
    const failed = load.outcomes.filter((o) => o.status >= 500 || o.status === 0);
    const conflicts = load.outcomes.filter((o) => o.status === 409);
    const otherErrors = load.outcomes.filter(
      (o) => o.status >= 400 && o.status < 500 && o.status !== 409,
    );
    console.log(
      `scaling under load: ${load.outcomes.length} requests, ${failed.length} failed, ` +
        `${conflicts.length} 409`,
    );
    expect(load.outcomes.length).toBeGreaterThan(200);
    expect(failed, JSON.stringify(failed.slice(0, 5))).toEqual([]);
    expect(otherErrors, JSON.stringify(otherErrors.slice(0, 5))).toEqual([]);
    // Contention: the node was locked by another action, or a newer request for it won.
    for (const conflict of conflicts) {
      expect(conflict.error).toMatch(/is locked by host|newer request for node/);
    }

    // Nothing stays locked: the conductors that left released their locks, and c1 its own once
    // the last power actions (2 s each) ended.
    const deadline = Date.now() + 30_000;
    while ((await reservedNodes()).length > 0 && Date.now() < deadline) await sleep(200);
    const stillReserved = await reservedNodes();
    const c1Lines = live
      .get('c1')!
      .output()
      .split('\n')
      .filter((line) => stillReserved.some((node) => line.includes(node.uuid)));
    expect(stillReserved, c1Lines.slice(-15).join('\n')).toEqual([]);
  }, 400_000);
});
