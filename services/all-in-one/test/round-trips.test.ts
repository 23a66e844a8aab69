import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { connectToConductors, startApi, type RunningApi } from '@galvanic/api';
import { loadConductorDrivers, startConductor, type RunningConductor } from '@galvanic/conductor';
import { silentLogger } from '@galvanic/logging';
import { InProcessTransport, type RpcClient } from '@galvanic/rpc';
import { connectDatabase, loadServiceConfig } from '@galvanic/runtime';
import { createTestDatabase, type TestDatabase } from '@galvanic/testing';

/**
 * Database round trips and RPC calls per API request on the main routes, counted on real
 * PostgreSQL: a change that adds a round trip to a hot path fails here. The api and the conductor
 * have data sources of their own (told apart by `application_name`), and every periodic task is
 * stopped or slowed down far past the test's length so that only the request's own statements
 * are counted.
 */
const API_APPLICATION = 'galvanic-api:round-trips';
const counted = { api: [] as string[], conductor: [] as string[] };
let rpcCalls = 0;
const originalQuery = pg.Client.prototype.query;

function statementText(argument: unknown): string {
  const text =
    typeof argument === 'string' ? argument : ((argument as { text?: string } | null)?.text ?? '');
  return text.replace(/\s+/g, ' ').trim().slice(0, 100);
}

function countStatements(): void {
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const application =
      (this as unknown as { connectionParameters: { application_name?: string } })
        .connectionParameters.application_name ?? '';
    (application === API_APPLICATION ? counted.api : counted.conductor).push(
      statementText(args[0]),
    );
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
}

let database: TestDatabase;
let apiData: DataSource | undefined;
let conductorData: DataSource | undefined;
let conductor: RunningConductor | undefined;
let api: RunningApi | undefined;
let rpc: RpcClient | undefined;
let stopDirectory: (() => void) | undefined;

beforeAll(async () => {
  database = await createTestDatabase('roundtrips');
  const { config, raw } = loadServiceConfig({
    argv: [],
    env: {
      GALVANIC_DEFAULT__HOST: 'c1',
      GALVANIC_API__HOST_IP: '127.0.0.1',
      GALVANIC_API__PORT: '0',
      // A stopping conductor waits this long for the api to see it go.
      GALVANIC_API__CONDUCTOR_REFRESH_INTERVAL: '1',
      GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL: '600',
      GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: '1200',
      GALVANIC_CONDUCTOR__SYNC_POWER_STATE_INTERVAL: '0',
      GALVANIC_FAKE__POWER_DELAY: '0',
      DATABASE_URL: database.url,
    },
    driverSectionsCheckedLater: true,
  });
  const logger = silentLogger();
  conductorData = await connectDatabase(config, 'galvanic-conductor:c1', { runMigrations: true });
  const transport = new InProcessTransport();
  conductor = await startConductor({
    config,
    drivers: await loadConductorDrivers(config, raw, logger),
    databaseUrl: database.url,
    logger,
    dataSource: conductorData,
    transport: transport.server('c1'),
    statusServer: false,
  });
  apiData = await connectDatabase(config, API_APPLICATION);
  const connected = await connectToConductors(config, logger, apiData, transport.client());
  rpc = connected.rpc;
  stopDirectory = () => connected.directory.stop();
  rpc.onCall(() => (rpcCalls += 1));
  api = await startApi({
    config,
    logger,
    dataSource: apiData,
    rpc,
    directory: connected.directory,
  });
  // The api keeps the conductor list it read; its periodic refresh would be counted otherwise.
  connected.directory.stop();
  countStatements();
});

afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await api?.close();
  stopDirectory?.();
  await rpc?.close();
  await conductor?.stop();
  await apiData?.destroy();
  await conductorData?.destroy();
  await database?.drop();
});

interface Counted {
  status: number;
  body: string;
  /** Statements the api sent. */
  api: string[];
  /** Statements the conductor sent (its lock session included) while the request ran. */
  conductor: string[];
  rpc: number;
}

async function send(method: string, path: string, body?: unknown): Promise<Counted> {
  counted.api = [];
  counted.conductor = [];
  rpcCalls = 0;
  const response = await fetch(`${api!.url}${path}`, {
    method,
    headers: { 'X-OpenStack-Ironic-API-Version': '1.115', 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text,
    api: counted.api,
    conductor: counted.conductor,
    rpc: rpcCalls,
  };
}

/** What a request cost, in a form whose mismatch shows the statements. */
function cost(result: Counted) {
  return {
    status: result.status,
    api: result.api.length,
    rpc: result.rpc,
    conductor: result.conductor.length,
    statements: { api: result.api, conductor: result.conductor },
  };
}

const expected = (status: number, api: number, rpc: number, conductor: number) => ({
  status,
  api,
  rpc,
  conductor,
  statements: expect.anything(),
});

describe('round trips per API request', () => {
  let uuid: string;

  beforeAll(async () => {
    const created = await send('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'rt-1' });
    expect(cost(created)).toEqual(expected(201, 1, 0, 0));
    uuid = (JSON.parse(created.body) as { uuid: string }).uuid;
    // The conductor's first call reads the conductor list it started before registering in.
    await send('PATCH', `/v1/nodes/${uuid}`, [{ op: 'add', path: '/extra/warm', value: 'up' }]);
  });

  it('create a node: one INSERT, no RPC', async () => {
    const result = await send('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'rt-2' });
    expect(cost(result)).toEqual(expected(201, 1, 0, 0));
    expect(result.api[0]).toMatch(/^INSERT INTO nodes/);
  });

  it('show a node, by UUID or by name: one SELECT', async () => {
    expect(cost(await send('GET', `/v1/nodes/${uuid}`))).toEqual(expected(200, 1, 0, 0));
    expect(cost(await send('GET', '/v1/nodes/rt-1'))).toEqual(expected(200, 1, 0, 0));
    expect(cost(await send('GET', `/v1/nodes/${uuid}?fields=uuid,name`))).toEqual(
      expected(200, 1, 0, 0),
    );
  });

  it('list nodes: the versions, then whole rows only for nodes not rendered before; the detailed list with its reservations too', async () => {
    for (const path of ['/v1/nodes', '/v1/nodes/detail']) {
      expect(cost(await send('GET', path))).toEqual(expected(200, 2, 0, 0));
      expect(cost(await send('GET', path))).toEqual(expected(200, 1, 0, 0));
    }
    await send('PATCH', `/v1/nodes/${uuid}`, [
      { op: 'add', path: '/extra/listed', value: 'again' },
    ]);
    const afterWrite = await send('GET', '/v1/nodes/detail');
    expect(cost(afterWrite)).toEqual(expected(200, 2, 0, 0));
    expect(afterWrite.api[1]).toMatch(/^SELECT n\.\*, /);
  });

  it('update a node: read it, one RPC; the conductor locks, loads and admits it in one statement, writes, unlocks', async () => {
    const result = await send('PATCH', `/v1/nodes/${uuid}`, [
      { op: 'add', path: '/extra/a', value: 'b' },
    ]);
    expect(cost(result)).toEqual(expected(200, 2, 1, 4));
  });

  it('sync vendor passthru: one SELECT and one RPC; the conductor locks, loads and admits, unlocks', async () => {
    const result = await send(
      'POST',
      `/v1/nodes/${uuid}/vendor_passthru?method=third_method_sync`,
      { bar: 'x' },
    );
    expect(cost(result)).toEqual(expected(200, 1, 1, 3));
  });

  it('power on: one SELECT and one RPC before the 202; five conductor statements in all', async () => {
    const result = await send('PUT', `/v1/nodes/${uuid}/states/power`, { target: 'power on' });
    expect({ status: result.status, api: result.api.length, rpc: result.rpc }).toEqual({
      status: 202,
      api: 1,
      rpc: 1,
    });
    for (let i = 0; i < 200; i += 1) {
      // Read without resetting the counts: the conductor's statements after the 202 count too.
      const response = await fetch(`${api!.url}/v1/nodes/${uuid}?fields=power_state,reservation`, {
        headers: { 'X-OpenStack-Ironic-API-Version': '1.115' },
      });
      const node = (await response.json()) as {
        power_state: string | null;
        reservation: string | null;
      };
      if (node.power_state === 'power on' && node.reservation === null) {
        // Lock, admission, target_power_state; then power_state, unlock.
        expect({ conductor: counted.conductor.length, statements: counted.conductor }).toEqual({
          conductor: 5,
          statements: expect.anything(),
        });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the node never reported power on');
  });

  it('ports: create is one INSERT, the detailed list one SELECT', async () => {
    expect(
      cost(await send('POST', '/v1/ports', { node_uuid: uuid, address: '52:54:00:00:00:01' })),
    ).toEqual(expected(201, 1, 0, 0));
    expect(cost(await send('GET', '/v1/ports/detail'))).toEqual(expected(200, 1, 0, 0));
  });

  it('delete a node: one SELECT and one RPC; the conductor deletes under the lock', async () => {
    const created = await send('POST', '/v1/nodes', { driver: 'fake-hardware', name: 'rt-3' });
    const doomed = (JSON.parse(created.body) as { uuid: string }).uuid;
    const result = await send('DELETE', `/v1/nodes/${doomed}`);
    expect(cost(result)).toEqual(expected(204, 1, 1, 4));
  });
});
