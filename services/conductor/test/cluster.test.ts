import { CONDUCTOR_CONTRACT_VERSION } from '@galvanic/conductor-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { ConductorDirectory } from '@galvanic/cluster';
import { ConductorStore, createDataSource, migrate } from '@galvanic/db';
import { silentLogger } from '@galvanic/logging';
import { AmqpTransport, pingMethod, RpcClient } from '@galvanic/rpc';
import {
  createTestDatabase,
  freePort,
  sendHttp,
  startService,
  TEST_AMQP_URL,
  TEST_RPC_MESSAGE_KEY,
  baremetal,
  splitModeEnv,
  uniqueNamespace,
  type ServiceProcess,
  type TestDatabase,
} from '@galvanic/testing';

const HEARTBEAT_TIMEOUT_S = 3;

describe('split mode: an api and two conductors over RabbitMQ and PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const namespace = uniqueNamespace();
  const processes: ServiceProcess[] = [];
  let conductors: Record<string, ServiceProcess>;
  let apiUrl: string;
  let transport: AmqpTransport;
  let rpc: RpcClient;
  let directory: ConductorDirectory;

  const env = (extra: Record<string, string>) =>
    splitModeEnv(database.url, namespace, {
      GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: String(HEARTBEAT_TIMEOUT_S),
      ...extra,
    });

  function startConductor(host: string): ServiceProcess {
    const child = startService('services/conductor/src/main.ts', {
      env: env({ GALVANIC_DEFAULT__HOST: host }),
    });
    processes.push(child);
    return child;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url });
    await dataSource.initialize();
    await migrate(dataSource);
    conductors = { c1: startConductor('c1'), c2: startConductor('c2') };
    const port = await freePort();
    const api = startService('services/api/src/main.ts', {
      env: env({ GALVANIC_DEFAULT__HOST: 'api', GALVANIC_API__PORT: String(port) }),
    });
    processes.push(api);
    apiUrl = `http://127.0.0.1:${port}`;
    await Promise.all([
      conductors.c1!.waitFor(/conductor started/),
      conductors.c2!.waitFor(/conductor started/),
      api.waitFor(/api listening/),
    ]);
    transport = new AmqpTransport({
      url: TEST_AMQP_URL,
      namespace,
      logger: silentLogger(),
      messageKey: Buffer.from(TEST_RPC_MESSAGE_KEY),
    });
    rpc = new RpcClient({
      transport: transport.client(),
      caller: 'test',
      logger: silentLogger(),
      contractVersion: CONDUCTOR_CONTRACT_VERSION,
    });
    directory = new ConductorDirectory(
      new ConductorStore(dataSource, HEARTBEAT_TIMEOUT_S),
      60_000,
      silentLogger(),
      CONDUCTOR_CONTRACT_VERSION,
    );
    await directory.start();
  });

  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await Promise.all(processes.map((child) => child.exited()));
    directory?.stop();
    await rpc?.close();
    await transport?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('baremetal conductor list shows both conductors alive', async () => {
    const listed = (await baremetal(apiUrl, 'conductor', 'list')) as Record<string, unknown>[];
    expect(listed).toEqual([
      { Hostname: 'c1', 'Conductor Group': '', Alive: true },
      { Hostname: 'c2', 'Conductor Group': '', Alive: true },
    ]);
    const shown = (await baremetal(apiUrl, 'conductor', 'show', 'c1')) as Record<string, unknown>;
    expect(shown).toMatchObject({
      hostname: 'c1',
      alive: true,
      drivers: ['ipmi', 'redfish', 'fake-hardware', 'manual-management'],
    });
  });

  it('the api is ready: its database answers and a conductor answers a ping', async () => {
    const result = await sendHttp(apiUrl, 'GET', '/readyz');
    expect(result.status).toBe(200);
  });

  it('two conductors share calls by the hash ring, each call reaching the conductor it was routed to', async () => {
    const served: Record<string, number> = {};
    for (let i = 0; i < 200; i += 1) {
      const host = directory.hostForNode(`node-${i}`, 'fake-hardware');
      const reply = await rpc.call(host, pingMethod, {});
      expect(reply.host).toBe(host);
      served[host] = (served[host] ?? 0) + 1;
    }
    expect(Object.keys(served).sort()).toEqual(['c1', 'c2']);
    expect(Math.min(...Object.values(served))).toBeGreaterThan(40);
    expect(directory.hostForNode('node-7', 'fake-hardware')).toBe(
      directory.hostForNode('node-7', 'fake-hardware'),
    );
  });

  it('a conductor killed with SIGKILL fails calls at once, then leaves routing after the heartbeat timeout', async () => {
    const victim = conductors.c2!;
    victim.kill('SIGKILL');
    await victim.exited();

    const started = Date.now();
    await expect(rpc.call('c2', pingMethod, {}, { timeoutMs: 10_000 })).rejects.toMatchObject({
      kind: 'RpcUnreachable',
    });
    expect(Date.now() - started).toBeLessThan(10_000);

    await expect
      .poll(
        async () => {
          await directory.refresh();
          return directory.alive().map((c) => c.hostname);
        },
        { timeout: (HEARTBEAT_TIMEOUT_S + 3) * 1000, interval: 250 },
      )
      .toEqual(['c1']);
    for (let i = 0; i < 20; i += 1) {
      expect(directory.hostForNode(`node-${i}`, 'fake-hardware')).toBe('c1');
    }
    const listed = (await baremetal(apiUrl, 'conductor', 'list')) as Record<string, unknown>[];
    expect(listed).toEqual([
      { Hostname: 'c1', 'Conductor Group': '', Alive: true },
      { Hostname: 'c2', 'Conductor Group': '', Alive: false },
    ]);
  });

  it('a conductor stopped with SIGTERM deregisters and exits cleanly', async () => {
    const conductor = conductors.c1!;
    conductor.kill('SIGTERM');
    expect(await conductor.exited()).toBe(0);
    expect(conductor.output()).toMatch(/conductor unregistered/);
    const record = await new ConductorStore(dataSource, HEARTBEAT_TIMEOUT_S).get('c1');
    expect(record?.alive).toBe(false);
    const ready = await sendHttp(apiUrl, 'GET', '/readyz');
    expect(ready.status).toBe(503);
  });

  it('refuses to start with a bad option, naming it', async () => {
    const child = startService('services/conductor/src/main.ts', {
      env: env({ GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL: 'often' }),
    });
    processes.push(child);
    expect(await child.exited()).toBe(1);
    expect(child.output()).toMatch(
      /configuration error: invalid value for option \[conductor\] heartbeat_interval \("often"\) from GALVANIC_CONDUCTOR__HEARTBEAT_INTERVAL/,
    );
  });
});
