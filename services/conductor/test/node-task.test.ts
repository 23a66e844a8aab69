import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate, NodeStore, type NodeRow } from '@galvanic/db';
import type { DriverRegistry } from '@galvanic/driver-loader';
import { InvalidState } from '@galvanic/errors';
import { silentLogger } from '@galvanic/logging';
import { NodeLocker, type ExclusiveLock } from '@galvanic/node-locks';
import { loadServiceConfig } from '@galvanic/runtime';
import { createTestDatabase, type TestDatabase } from '@galvanic/testing';
import { loadConductorDrivers } from '../src/drivers';
import { NodeTask } from '../src/nodes/task';

/** NodeTask's state-machine moves against a real database, lock and driver registry. */
describe('NodeTask: moving a node through the state machine under its lock', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: NodeStore;
  let locker: NodeLocker;
  let drivers: DriverRegistry;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url, maxPoolSize: 2 });
    await dataSource.initialize();
    await migrate(dataSource);
    store = new NodeStore(dataSource);
    locker = new NodeLocker({
      connectionString: database.url,
      host: 'c1',
      logger: silentLogger(),
      retryAttempts: 1,
    });
    await locker.start();
    const { config, raw } = loadServiceConfig({
      argv: [],
      env: { DATABASE_URL: database.url },
      driverSectionsCheckedLater: true,
    });
    drivers = await loadConductorDrivers(config, raw, silentLogger());
  });

  afterAll(async () => {
    await locker?.close();
    await drivers?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  /** Runs `fn` on a fresh fake-hardware node in `state` under its exclusive lock. */
  async function withNode(
    fields: Partial<NodeRow>,
    fn: (task: NodeTask) => Promise<void>,
  ): Promise<NodeRow> {
    const row = await store.create({ uuid: randomUUID(), driver: 'fake-hardware', ...fields });
    await locker.withExclusiveLock({ id: row.id, ident: row.uuid }, async (lock: ExclusiveLock) => {
      const task = new NodeTask(row, [], store, drivers, lock, silentLogger(), 'test', lock.signal);
      await fn(task);
    });
    return (await store.getById(row.id))!;
  }

  it('fail() moves the node to its failure state with last_error and no current step, in one write', async () => {
    const after = await withNode(
      {
        provision_state: 'deploying',
        target_provision_state: 'active',
        deploy_step: { interface: 'deploy', step: 'deploy', priority: 100, args: {} },
      },
      (task) => task.fail('the deploy step broke'),
    );
    expect(after).toMatchObject({
      provision_state: 'deploy failed',
      target_provision_state: 'active',
      last_error: 'the deploy step broke',
      deploy_step: {},
    });
  });

  it('fail() in a state with no failure edge records last_error, keeps the state, and throws', async () => {
    let thrown: unknown;
    const after = await withNode({ provision_state: 'available' }, async (task) => {
      thrown = await task.fail('nothing to fail').catch((error: unknown) => error);
    });
    expect(thrown).toBeInstanceOf(InvalidState);
    expect((thrown as Error).message).toBe(
      "Can not transition from state 'available' on event 'fail' (no defined transition)",
    );
    expect(after).toMatchObject({ provision_state: 'available', last_error: 'nothing to fail' });
  });

  it('processEvent() follows the conductor edge from the current state and saves the changes', async () => {
    const after = await withNode(
      { provision_state: 'cleaning', target_provision_state: 'manageable' },
      (task) => task.processEvent('manage', { changes: { clean_step: {} } }),
    );
    expect(after).toMatchObject({ provision_state: 'manageable', target_provision_state: null });
  });

  it('processEvent() refuses an event the current state has no edge for, and writes nothing', async () => {
    let thrown: unknown;
    const after = await withNode({ provision_state: 'active' }, async (task) => {
      thrown = await task.processEvent('done').catch((error: unknown) => error);
    });
    expect(thrown).toBeInstanceOf(InvalidState);
    expect(after.provision_state).toBe('active');
  });
});
