import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendHttp, startSplitMode, type SplitMode } from '@galvanic/testing';

/** `timeout` in a power request came with 1.27. */
const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.27', 'Content-Type': 'application/json' };

interface PowerView {
  power_state: string | null;
  target_power_state: string | null;
  last_error: string | null;
  reservation: string | null;
}

describe('a power action that outlasts its timeout', () => {
  let cluster: SplitMode;
  const api = (method: string, path: string, body?: unknown) =>
    sendHttp(
      cluster.apiUrl,
      method,
      path,
      HEADERS,
      body === undefined ? undefined : JSON.stringify(body),
    );

  beforeAll(async () => {
    // The fake BMC takes far longer than the request allows.
    cluster = await startSplitMode({
      conductors: ['c1'],
      env: {
        GALVANIC_FAKE__POWER_DELAY: '600',
        GALVANIC_CONDUCTOR__SYNC_POWER_STATE_INTERVAL: '0',
        // A request for a locked node is refused at once rather than waiting the lock out.
        GALVANIC_CONDUCTOR__NODE_LOCKED_RETRY_ATTEMPTS: '1',
      },
    });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  async function view(uuid: string): Promise<PowerView> {
    const fields = 'power_state,target_power_state,last_error,reservation';
    return (await api('GET', `/v1/nodes/${uuid}?fields=${fields}`)).body as PowerView;
  }

  it('fails with last_error, clears the target and frees the node; a later request runs', async () => {
    const created = await api('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'slow-bmc' });
    expect(created.status).toBe(201);
    const { uuid } = created.body as { uuid: string };

    const accepted = await api('PUT', `/v1/nodes/${uuid}/states/power`, {
      target: 'power on',
      timeout: 3,
    });
    expect(accepted.status).toBe(202);
    // While the action runs the target shows and the node is locked.
    expect(await view(uuid)).toMatchObject({
      power_state: null,
      target_power_state: 'power on',
      reservation: 'c1',
    });
    const locked = await api('PUT', `/v1/nodes/${uuid}/states/power`, { target: 'power off' });
    expect(locked.status).toBe(409);

    let seen = await view(uuid);
    // The failure is recorded, then the lock released.
    for (let i = 0; i < 150 && (seen.target_power_state ?? seen.reservation) !== null; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await view(uuid);
    }
    expect(seen).toMatchObject({
      power_state: null,
      target_power_state: null,
      last_error: 'Failed to set node power state to power on: timed out after 3 seconds.',
      reservation: null,
    });

    // The lock was released with the failure: the next request is accepted and clears last_error.
    const again = await api('PUT', `/v1/nodes/${uuid}/states/power`, {
      target: 'power off',
      timeout: 1,
    });
    expect(again.status).toBe(202);
    expect(await view(uuid)).toMatchObject({ target_power_state: 'power off', last_error: null });
  });
});
