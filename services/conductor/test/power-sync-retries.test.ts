import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcess, sendHttp } from '@galvanic/testing';
import { startAcmeSim, type AcmeSim } from 'acme-galvanic-driver/sim';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };

interface NodeBody {
  uuid: string;
  power_state: string | null;
  target_power_state: string | null;
  maintenance: boolean;
  maintenance_reason: string | null;
  fault: string | null;
  last_error: string | null;
}

/**
 * One conductor in this process over an Acme simulator whose chassis the test changes behind the
 * conductor's back; the periodic sync is off and the test runs each pass itself.
 */
async function startEnvironment(sim: AcmeSim, conductorOptions: Record<string, string>) {
  const env = await createInProcess({
    database: 'shared',
    env: {
      GALVANIC_DEFAULT__DRIVER_PACKAGES: 'acme-galvanic-driver',
      GALVANIC_DEFAULT__ENABLED_HARDWARE_TYPES: 'fake-hardware,acme-hardware',
      GALVANIC_ACME__POLL_INTERVAL: '0.02',
      GALVANIC_CONDUCTOR__SYNC_POWER_STATE_INTERVAL: '0',
      ...conductorOptions,
    },
  });
  const api = (method: string, path: string, body?: unknown) =>
    sendHttp(
      env.apiUrl,
      method,
      path,
      HEADERS,
      body === undefined ? undefined : JSON.stringify(body),
    );
  const node = async (ident: string) => (await api('GET', `/v1/nodes/${ident}`)).body as NodeBody;
  const syncPass = () => env.stack.conductors.get('c1')!.syncPowerStates();
  /** A node on `chassis`, powered on through the API and recorded as on. */
  const poweredOn = async (name: string, chassis: string) => {
    const created = await api('POST', '/v1/nodes', {
      driver: 'acme-hardware',
      name,
      driver_info: { acme_address: sim.url, acme_chassis_id: chassis },
    });
    expect(created.status).toBe(201);
    expect(
      (await api('PUT', `/v1/nodes/${name}/states/power`, { target: 'power on' })).status,
    ).toBe(202);
    await expect
      .poll(async () => (await node(name)).power_state, { timeout: 10_000 })
      .toBe('power on');
  };
  const pointAt = async (name: string, chassis: string) =>
    expect(
      (
        await api('PATCH', `/v1/nodes/${name}`, [
          { op: 'replace', path: '/driver_info/acme_chassis_id', value: chassis },
        ])
      ).status,
    ).toBe(200);
  return { env, node, syncPass, poweredOn, pointAt };
}

describe('power-state sync, [conductor] power_state_sync_max_retries = 2', () => {
  const sim = { current: undefined as AcmeSim | undefined };
  let harness: Awaited<ReturnType<typeof startEnvironment>>;

  beforeAll(async () => {
    sim.current = await startAcmeSim({ chassis: ['n-1', 'n-2', 'n-3'], transitionMs: 10 });
    harness = await startEnvironment(sim.current, {
      GALVANIC_CONDUCTOR__POWER_STATE_SYNC_MAX_RETRIES: '2',
    });
  });

  afterAll(async () => {
    await harness?.env.teardown();
    await sim.current?.close();
  });

  it('records a power state changed behind its back, and leaves the hardware alone', async () => {
    const { node, syncPass, poweredOn } = harness;
    await poweredOn('recorded', 'n-1');
    const chassis = sim.current!.chassis('n-1')!;
    const actionsBefore = chassis.actions.length;
    chassis.power = 'off';
    await syncPass();
    expect(await node('recorded')).toMatchObject({ power_state: 'power off', maintenance: false });
    expect(chassis.power).toBe('off');
    expect(chassis.actions.length).toBe(actionsBefore);
  });

  it('after more failed reads in a row than the retries, clears the recorded state and says so in maintenance', async () => {
    const { node, syncPass, poweredOn, pointAt } = harness;
    await poweredOn('unreadable', 'n-2');
    await pointAt('unreadable', 'no-such-chassis');
    await syncPass();
    await syncPass();
    // Two failed reads: within the retries, nothing changes on the node.
    expect(await node('unreadable')).toMatchObject({
      power_state: 'power on',
      maintenance: false,
      fault: null,
    });
    await syncPass();
    const given = await node('unreadable');
    expect(given).toMatchObject({ power_state: null, maintenance: true, fault: 'power failure' });
    expect(given.maintenance_reason).toContain(`failed 3 times in a row for node ${given.uuid}`);
    expect(given.maintenance_reason).toContain(
      "the recorded power state is 'power on' but its power state could not be read",
    );
    expect(given.maintenance_reason).toContain('no such chassis');
    expect(given.maintenance_reason).toContain(
      "The recorded power state was set to 'None' and the node was put into maintenance mode.",
    );
    expect(given.last_error).toBe(given.maintenance_reason);
  });

  it('counts failed reads in a row only: a read that agrees starts the count again', async () => {
    const { node, syncPass, poweredOn, pointAt } = harness;
    await poweredOn('flaky', 'n-3');
    await pointAt('flaky', 'no-such-chassis');
    await syncPass();
    await syncPass();
    await pointAt('flaky', 'n-3');
    await syncPass();
    await pointAt('flaky', 'no-such-chassis');
    await syncPass();
    await syncPass();
    expect(await node('flaky')).toMatchObject({ power_state: 'power on', maintenance: false });
    await syncPass();
    expect(await node('flaky')).toMatchObject({ power_state: null, maintenance: true });
  });
});

describe('power-state sync, force_power_state_during_sync with power_state_sync_max_retries = 1', () => {
  const sim = { current: undefined as AcmeSim | undefined };
  let harness: Awaited<ReturnType<typeof startEnvironment>>;

  beforeAll(async () => {
    sim.current = await startAcmeSim({ chassis: ['f-1'], transitionMs: 10 });
    harness = await startEnvironment(sim.current, {
      GALVANIC_CONDUCTOR__FORCE_POWER_STATE_DURING_SYNC: 'true',
      GALVANIC_CONDUCTOR__POWER_STATE_SYNC_MAX_RETRIES: '1',
    });
  });

  afterAll(async () => {
    await harness?.env.teardown();
    await sim.current?.close();
  });

  it('puts the hardware back into the recorded state, until the retries run out; then records what it found, in maintenance', async () => {
    const { node, syncPass, poweredOn } = harness;
    await poweredOn('forced', 'f-1');
    const chassis = sim.current!.chassis('f-1')!;

    // Turned off behind its back: the sync turns it back on and the record stays.
    chassis.power = 'off';
    await syncPass();
    expect(chassis.actions.at(-1)).toBe('on');
    expect(chassis.power).toBe('on');
    expect(await node('forced')).toMatchObject({
      power_state: 'power on',
      target_power_state: null,
      maintenance: false,
    });

    // A pass that finds them agreeing starts the count again: the next change is put back too.
    await syncPass();
    chassis.power = 'off';
    await syncPass();
    expect(chassis.power).toBe('on');
    expect((await node('forced')).maintenance).toBe(false);

    // Turned off again before the next pass: a second attempt in a row is one more than the
    // retries allow, so the state found is recorded and the node goes into maintenance.
    const actionsBefore = chassis.actions.length;
    chassis.power = 'off';
    await syncPass();
    expect(chassis.actions.length).toBe(actionsBefore);
    expect(chassis.power).toBe('off');
    const given = await node('forced');
    expect(given).toMatchObject({
      power_state: 'power off',
      maintenance: true,
      fault: 'power failure',
    });
    expect(given.maintenance_reason).toContain(`failed 2 times in a row for node ${given.uuid}`);
    expect(given.maintenance_reason).toContain(
      "the recorded power state is 'power on' but its power state is 'power off'",
    );
    expect(given.maintenance_reason).toContain(
      "The recorded power state was set to 'power off' and the node was put into maintenance mode.",
    );
  });
});
