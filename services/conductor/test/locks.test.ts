import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  innerError,
  queryDatabase,
  sendHttp,
  startSplitMode,
  terminateSessions,
  type SplitMode,
} from '@galvanic/testing';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };
const LONG_INSPECTION_S = 30;

interface NodeBody {
  uuid: string;
  provision_state: string;
  target_provision_state: string | null;
  power_state: string | null;
  reservation: string | null;
  last_error: string | null;
  conductor: string | null;
}

describe('node locks: 409 on contention, and nothing ever stuck', () => {
  let cluster: SplitMode;
  let apiUrl: string;

  const api = (method: string, path: string, body?: unknown) =>
    sendHttp(apiUrl, method, path, HEADERS, body === undefined ? undefined : JSON.stringify(body));
  const node = async (ident: string) => (await api('GET', `/v1/nodes/${ident}`)).body as NodeBody;
  const waitFor = (ident: string, check: (n: NodeBody) => boolean, timeout = 20_000) =>
    expect.poll(async () => check(await node(ident)), { timeout, interval: 100 }).toBe(true);

  /** A node in `manageable`, then inspecting for a long time: its lock is held on purpose. */
  async function longInspection(name: string): Promise<NodeBody> {
    expect((await api('POST', '/v1/nodes', { driver: 'fake-hardware', name })).status).toBe(201);
    await api('PUT', `/v1/nodes/${name}/states/provision`, { target: 'manage' });
    await waitFor(name, (n) => n.provision_state === 'manageable');
    expect(
      (await api('PUT', `/v1/nodes/${name}/states/provision`, { target: 'inspect' })).status,
    ).toBe(202);
    await waitFor(name, (n) => n.provision_state === 'inspecting' && n.reservation !== null);
    return node(name);
  }

  beforeAll(async () => {
    cluster = await startSplitMode({
      env: {
        GALVANIC_FAKE__INSPECT_DELAY: String(LONG_INSPECTION_S),
        GALVANIC_CONDUCTOR__NODE_LOCKED_RETRY_ATTEMPTS: '3',
        GALVANIC_CONDUCTOR__NODE_LOCKED_RETRY_INTERVAL: '0.2',
        GALVANIC_CONDUCTOR__SYNC_LOCAL_STATE_INTERVAL: '0.5',
        GALVANIC_CONDUCTOR__GRACEFUL_SHUTDOWN_TIMEOUT: '1',
      },
    });
    apiUrl = cluster.apiUrl;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('a locked node answers exclusive requests 409 NodeLocked after the retries, in Ironic words', async () => {
    const busy = await longInspection('locked-1');
    expect(busy.reservation).toBe(busy.conductor);
    const expected = `Node ${busy.uuid} is locked by host ${busy.reservation}, please retry after the current operation is completed.`;
    const started = Date.now();
    const power = await api('PUT', '/v1/nodes/locked-1/states/power', { target: 'power off' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(power.status).toBe(409);
    expect(innerError(power.body).faultstring).toBe(expected);
    for (const [method, path, body] of [
      ['DELETE', '/v1/nodes/locked-1', undefined],
      ['PATCH', '/v1/nodes/locked-1', [{ op: 'add', path: '/extra/x', value: 1 }]],
      ['PUT', '/v1/nodes/locked-1/management/boot_device', { boot_device: 'pxe' }],
    ] as const) {
      const result = await api(method, path, body);
      expect(result.status, `${method} ${path}`).toBe(409);
      expect(innerError(result.body).faultstring).toBe(expected);
    }
  });

  it('shared-lock reads proceed while the node is locked exclusively', async () => {
    expect((await api('GET', '/v1/nodes/locked-1/management/boot_device')).status).toBe(200);
    expect((await api('GET', '/v1/nodes/locked-1/validate')).status).toBe(200);
    expect((await node('locked-1')).provision_state).toBe('inspecting');
  });

  it('a conductor killed with SIGKILL mid-action leaves its node unlocked at once, repaired, and served by the other', async () => {
    const busy = await node('locked-1');
    const holder = busy.reservation!;
    const survivor = holder === 'c1' ? 'c2' : 'c1';
    cluster.conductors.get(holder)!.kill('SIGKILL');
    await cluster.conductors.get(holder)!.exited();
    const killedAt = Date.now();
    await waitFor('locked-1', (n) => n.reservation === null, 5_000);
    const unlockedAfterMs = Date.now() - killedAt;
    expect(unlockedAfterMs).toBeLessThan(5_000);
    await waitFor('locked-1', (n) => n.provision_state === 'inspect failed', 10_000);
    const repaired = await node('locked-1');
    expect(repaired.last_error).toBe(
      `Conductor ${survivor} found the node's lock free while it was inspecting: the conductor ` +
        `working on it had stopped, or had lost its database session and the lock with it; ` +
        `the operation did not complete.`,
    );
    // As Ironic's machine has it: the failure state keeps the target the work was heading for.
    expect(repaired.target_provision_state).toBe('manageable');
    // Once the dead conductor's heartbeat times out, the ring gives the node to the survivor.
    await waitFor('locked-1', (n) => n.conductor === survivor, 10_000);
    expect(
      (await api('PUT', '/v1/nodes/locked-1/states/power', { target: 'power on' })).status,
    ).toBe(202);
    await waitFor('locked-1', (n) => n.power_state === 'power on');
  });

  it('a conductor that loses its lock session takes its locks back at once, and the work goes on', async () => {
    const busy = await longInspection('locked-2');
    const holder = busy.reservation!;
    const lockSessionPid = async () =>
      (
        await queryDatabase<{ pid: number }>(
          cluster.database.url,
          'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
          [`galvanic-conductor:${holder}`],
        )
      )[0]?.pid;
    const before = await lockSessionPid();
    // The lock session is the one named after the conductor; its other connections stay up.
    expect(
      await terminateSessions(cluster.database.url, `galvanic-conductor:${holder}`),
    ).toBeGreaterThan(0);
    await expect.poll(lockSessionPid, { timeout: 5_000 }).not.toBe(before);
    await waitFor('locked-2', (n) => n.reservation === holder, 5_000);
    // Nobody else held the lock in between: the inspection was not aborted.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await node('locked-2');
    expect(after.provision_state).toBe('inspecting');
    expect(after.reservation).toBe(holder);
    expect(after.last_error).toBeNull();
    expect(
      (await api('PUT', '/v1/nodes/locked-2/states/power', { target: 'power on' })).status,
    ).toBe(409);
  });

  it('a conductor stopped with SIGTERM mid-action gives the work its deadline, then records it failed and unlocks', async () => {
    const busy = await longInspection('locked-3');
    const holder = cluster.conductors.get(busy.reservation!)!;
    holder.kill('SIGTERM');
    expect(await holder.exited()).toBe(0);
    const abandoned = holder
      .output()
      .split('\n')
      .find((line) => line.includes('"abandoned in-flight work at shutdown"'));
    // locked-2's inspection, kept through the loss of its lock session, is still running too.
    expect(abandoned).toMatch(/"abandoned_tasks":2/);
    expect((await node('locked-2')).provision_state).toBe('inspect failed');
    const after = await node('locked-3');
    expect(after.provision_state).toBe('inspect failed');
    expect(after.last_error).toMatch(/conductor is stopping/);
    expect(after.reservation).toBeNull();
  });
});
