import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendHttp, startSplitMode, type SplitMode } from '@galvanic/testing';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };
const HEARTBEAT_TIMEOUT_S = 3;

interface NodeBody {
  power_state: string | null;
  target_power_state: string | null;
  conductor: string | null;
}

/**
 * Issue 9, item 5, with the timings shortened (heartbeat 1 s, timeout 3 s): the owner of a node
 * is frozen, a `power on` queues for it, the new owner serves a later `power off`, then the old
 * owner resumes. The queued call must not run: the node ends as the latest request left it.
 */
describe('a conductor resumed after its heartbeat expired', () => {
  let cluster: SplitMode;
  const api = (method: string, path: string, body?: unknown) =>
    sendHttp(
      cluster.apiUrl,
      method,
      path,
      HEADERS,
      body === undefined ? undefined : JSON.stringify(body),
    );
  const node = async (ident: string) => (await api('GET', `/v1/nodes/${ident}`)).body as NodeBody;
  const waitFor = (ident: string, check: (n: NodeBody) => boolean, timeout = 20_000) =>
    expect.poll(async () => check(await node(ident)), { timeout, interval: 100 }).toBe(true);

  beforeAll(async () => {
    cluster = await startSplitMode({
      env: {
        GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL: '1',
        GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: String(HEARTBEAT_TIMEOUT_S),
      },
    });
  });

  afterAll(async () => {
    for (const child of cluster?.processes ?? []) child.kill('SIGCONT');
    await cluster?.stop();
  });

  it('does not run a request queued while it was frozen; the latest request wins', async () => {
    expect((await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'x' })).status).toBe(
      201,
    );
    expect((await api('PUT', '/v1/nodes/x/states/power', { target: 'power off' })).status).toBe(
      202,
    );
    await waitFor('x', (n) => n.power_state === 'power off' && n.target_power_state === null);
    const ownerName = (await node('x')).conductor!;
    const owner = cluster.conductors.get(ownerName)!;

    owner.kill('SIGSTOP');
    let staleOn: Promise<{ status: number; body: unknown }>;
    try {
      await sleep(300);
      // Still live in the api's eyes: the call waits in the frozen owner's queue.
      staleOn = api('PUT', '/v1/nodes/x/states/power', { target: 'power on' });
      // Once the frozen owner's heartbeat has expired, the api routes the node to the other one.
      await waitFor('x', (n) => n.conductor !== ownerName, (HEARTBEAT_TIMEOUT_S + 5) * 1000);
      const off = await api('PUT', '/v1/nodes/x/states/power', { target: 'power off' });
      expect(off.status, JSON.stringify(off.body)).toBe(202);
      await waitFor('x', (n) => n.power_state === 'power off' && n.target_power_state === null);
      await sleep(1_000);
    } finally {
      owner.kill('SIGCONT');
    }

    const stale = await staleOn;
    // Refused, with nothing run: NodeOwnerChanged (503) from the resumed conductor, or
    // StaleRequest (409) from whichever conductor the api routes it to again.
    expect([409, 503], JSON.stringify(stale.body)).toContain(stale.status);
    expect(owner.output()).toContain('refused a call for a node this conductor does not own');
    await sleep(1_500);
    const after = await node('x');
    expect(after.power_state).toBe('power off');
    expect(after.target_power_state).toBeNull();
  }, 60_000);
});
