import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createDataSource, NodeStore } from '@galvanic/db';
import { StaleRequest } from '@galvanic/errors';
import { silentLogger } from '@galvanic/logging';
import { NodeLocker } from '@galvanic/node-locks';
import {
  createTestDatabase,
  queryDatabase,
  startService,
  type TestDatabase,
} from '@galvanic/testing';
import { admitRequest } from '../src/nodes/request-order';

let database: TestDatabase;
let dataSource: DataSource;
let store: NodeStore;

describe('request order: an older request never runs after a newer one was accepted', () => {
  let locker: NodeLocker;
  let nodeId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    const migration = startService('packages/db/src/cli.ts', {
      args: ['migrate'],
      env: { DATABASE_URL: database.url },
    });
    expect(await migration.exited(), migration.output()).toBe(0);
    const rows = await queryDatabase<{ id: number }>(
      database.url,
      `INSERT INTO nodes (uuid, driver) VALUES ($1, 'fake-hardware') RETURNING id`,
      [randomUUID()],
    );
    nodeId = rows[0]!.id;
    dataSource = createDataSource({ url: database.url, maxPoolSize: 2 });
    await dataSource.initialize();
    store = new NodeStore(dataSource);
    locker = new NodeLocker({
      connectionString: database.url,
      host: 'c1',
      logger: silentLogger(),
      retryAttempts: 1,
    });
    await locker.start();
  });

  afterAll(async () => {
    await locker?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  it('admits newer (or equal) issue times under the lock and refuses older ones with StaleRequest', async () => {
    const ref = { id: nodeId, ident: 'node-1' };
    await locker.withExclusiveLock(ref, async (lock) => {
      await admitRequest(store, lock, 2_000);
      await expect(admitRequest(store, lock, 1_000)).rejects.toBeInstanceOf(StaleRequest);
      await admitRequest(store, lock, 2_000);
    });
    // A later holder sees what earlier ones accepted.
    await locker.withExclusiveLock(ref, async (lock) => {
      await expect(admitRequest(store, lock, 1_999)).rejects.toThrow(
        'A newer request for node node-1 was already accepted; this older one was not run.',
      );
      await admitRequest(store, lock, 3_000);
    });
    const rows = await queryDatabase(
      database.url,
      'SELECT newest_request_issued_at::int AS newest FROM nodes',
    );
    expect(rows).toEqual([{ newest: 3_000 }]);
  });

  it('records nothing without the lock: the write is fenced', async () => {
    const lock = await locker.acquireExclusive({ id: nodeId, ident: 'node-1' });
    const token = lock.fenceToken;
    await lock.release();
    const forged = { ...lock, nodeId, node: 'node-1', fenceToken: token, signal: lock.signal };
    await expect(admitRequest(store, forged, 9_000)).rejects.toThrow('node-1');
    const rows = await queryDatabase(
      database.url,
      'SELECT newest_request_issued_at::int AS newest FROM nodes',
    );
    expect(rows).toEqual([{ newest: 3_000 }]);
  });
});
