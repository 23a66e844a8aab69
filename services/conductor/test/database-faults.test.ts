import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  sendHttp,
  splitModeEnv,
  startPrivatePostgres,
  startService,
  uniqueNamespace,
  type PrivatePostgres,
  type ServiceProcess,
} from '@galvanic/testing';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };
const ACTION_S = 6;
const HEARTBEAT_TIMEOUT_S = 4;

interface NodeBody {
  uuid: string;
  provision_state: string;
  power_state: string | null;
  target_power_state: string | null;
  reservation: string | null;
  last_error: string | null;
}

/**
 * Faults of the database itself, on a PostgreSQL server of the test's own: a crash-restart
 * (`pg_ctl restart -m immediate`) while nodes are being worked on, another conductor taking a
 * lock while its holder has no session, and an outage longer than the heartbeat timeout.
 */
describe('database faults', () => {
  let postgres: PrivatePostgres;
  const processes: ServiceProcess[] = [];
  const conductors = new Map<string, ServiceProcess>();
  let apiUrl: string;

  const api = (method: string, path: string, body?: unknown) =>
    sendHttp(apiUrl, method, path, HEADERS, body === undefined ? undefined : JSON.stringify(body));
  const node = async (ident: string): Promise<NodeBody | undefined> => {
    const result = await api('GET', `/v1/nodes/${ident}`).catch(() => undefined);
    return result?.status === 200 ? (result.body as NodeBody) : undefined;
  };
  const waitFor = (ident: string, check: (n: NodeBody) => boolean, timeout = 20_000) =>
    expect
      .poll(
        async () => {
          const found = await node(ident);
          return found !== undefined && check(found);
        },
        { timeout, interval: 100 },
      )
      .toBe(true);
  const provision = async (ident: string, target: string) =>
    expect((await api('PUT', `/v1/nodes/${ident}/states/provision`, { target })).status).toBe(202);
  async function manageable(name: string): Promise<void> {
    expect((await api('POST', '/v1/nodes', { driver: 'fake-hardware', name })).status).toBe(201);
    await provision(name, 'manage');
    await waitFor(name, (n) => n.provision_state === 'manageable');
  }

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    const namespace = uniqueNamespace();
    const env = (extra: Record<string, string>) =>
      splitModeEnv(postgres.url, namespace, {
        GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL: '2',
        GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: String(HEARTBEAT_TIMEOUT_S),
        GALVANIC_CONDUCTOR__SYNC_LOCAL_STATE_INTERVAL: '0.5',
        GALVANIC_CONDUCTOR__AUTOMATED_CLEAN: 'false',
        GALVANIC_FAKE__DEPLOY_DELAY: String(ACTION_S),
        GALVANIC_FAKE__INSPECT_DELAY: String(ACTION_S),
        GALVANIC_FAKE__POWER_DELAY: String(ACTION_S),
        ...extra,
      });
    const migration = startService('packages/db/src/cli.ts', { args: ['migrate'], env: env({}) });
    expect(await migration.exited(), migration.output()).toBe(0);
    for (const host of ['c1', 'c2']) {
      const conductor = startService('services/conductor/src/main.ts', {
        env: env({ GALVANIC_DEFAULT__HOST: host }),
      });
      conductors.set(host, conductor);
      processes.push(conductor);
    }
    const port = await freePort();
    processes.push(
      startService('services/api/src/main.ts', {
        env: env({ GALVANIC_DEFAULT__HOST: 'api', GALVANIC_API__PORT: String(port) }),
      }),
    );
    apiUrl = `http://127.0.0.1:${port}`;
    await Promise.all(processes.map((p) => p.waitFor(/conductor started|api listening/)));
  });

  afterAll(async () => {
    for (const child of processes) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
    await Promise.all(processes.map((child) => child.exited()));
    await postgres?.destroy();
  });

  it('a crash-restart of the database mid-work: every deploy, inspection and power action finishes', async () => {
    for (const name of ['d1', 'i1', 'p1', 'p2']) await manageable(name);
    await provision('d1', 'provide');
    await waitFor('d1', (n) => n.provision_state === 'available');

    await provision('d1', 'active');
    await provision('i1', 'inspect');
    for (const name of ['p1', 'p2']) {
      expect(
        (await api('PUT', `/v1/nodes/${name}/states/power`, { target: 'power on' })).status,
      ).toBe(202);
    }
    for (const name of ['d1', 'i1', 'p1', 'p2']) await waitFor(name, (n) => n.reservation !== null);

    await postgres.restartImmediate();

    await waitFor('d1', (n) => n.provision_state === 'active', 30_000);
    await waitFor('i1', (n) => n.provision_state === 'manageable', 30_000);
    for (const name of ['p1', 'p2']) {
      await waitFor(name, (n) => n.power_state === 'power on' && n.target_power_state === null);
    }
    for (const name of ['d1', 'i1', 'p1', 'p2']) {
      const done = (await node(name))!;
      expect(done.last_error, name).toBeNull();
      expect(done.reservation, name).toBeNull();
    }
  }, 90_000);

  it('a lock another conductor took while its holder had no session: the work stops, and last_error says so', async () => {
    await manageable('i2');
    await provision('i2', 'inspect');
    await waitFor('i2', (n) => n.reservation !== null);
    const holderName = (await node('i2'))!.reservation!;
    const otherName = holderName === 'c1' ? 'c2' : 'c1';
    const holder = conductors.get(holderName)!;

    // Frozen, the holder cannot take its lock back after the restart; the other conductor finds
    // the node unlocked in a transient state and takes it over.
    holder.kill('SIGSTOP');
    try {
      await postgres.restartImmediate();
      await waitFor('i2', (n) => n.provision_state === 'inspect failed');
    } finally {
      holder.kill('SIGCONT');
    }
    const expected =
      `Conductor ${otherName} found the node's lock free while it was inspecting: the conductor ` +
      `working on it had stopped, or had lost its database session and the lock with it; ` +
      `the operation did not complete.`;
    expect((await node('i2'))!.last_error).toBe(expected);

    await holder.waitFor(/could not take a node lock back: another conductor held it/, 10_000);
    expect(holder.output()).toContain(
      `Conductor ${holderName} lost its database session holding the lock on node ` +
        `${(await node('i2'))!.uuid}, and conductor ${otherName} held the node's lock before it ` +
        `could take it back`,
    );
    // The stopped inspection never writes: the node stays as the other conductor left it.
    await new Promise((resolve) => setTimeout(resolve, ACTION_S * 1000));
    const after = (await node('i2'))!;
    expect(after.provision_state).toBe('inspect failed');
    expect(after.last_error).toBe(expected);
  }, 60_000);

  it('after an outage longer than the heartbeat timeout, conductors count as alive and serve at once', async () => {
    await postgres.stop('immediate');
    await new Promise((resolve) => setTimeout(resolve, (HEARTBEAT_TIMEOUT_S + 2) * 1000));
    await postgres.start();
    await expect
      .poll(async () => (await api('GET', '/v1/nodes').catch(() => undefined))?.status, {
        timeout: 20_000,
        interval: 50,
      })
      .toBe(200);

    // No wait: the database's own downtime is not counted against anyone's heartbeat.
    const listed = await api('GET', '/v1/conductors');
    expect(listed.status).toBe(200);
    const alive = (listed.body as { conductors: { hostname: string; alive: boolean }[] }).conductors
      .filter((c) => c.alive)
      .map((c) => c.hostname)
      .sort();
    expect(alive).toEqual(['c1', 'c2']);
    const power = await api('PUT', '/v1/nodes/p1/states/power', { target: 'power off' });
    expect(power.status, JSON.stringify(power.body)).toBe(202);
    const validate = await api('GET', '/v1/nodes/p2/validate');
    expect(validate.status, JSON.stringify(validate.body)).toBe(200);
    await waitFor('p1', (n) => n.power_state === 'power off', 20_000);
  }, 60_000);
});
