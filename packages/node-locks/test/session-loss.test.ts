import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { TemporaryFailure } from '@galvanic/errors';
import {
  createTestDatabase,
  queryDatabase,
  startService,
  TEST_POSTGRES_ADMIN_URL,
  type TestDatabase,
} from '@galvanic/testing';
import {
  CREATE_LOCK_EPOCHS_TABLE_SQL,
  NodeLockLost,
  reservationsOf,
  stillHeldSql,
  type ExclusiveLock,
  type NodeLocker,
  type SessionLostEvent,
} from '../src';
import { eventually, node, startLocker } from './helpers';

describe('node locks outlive no session', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const lockers: NodeLocker[] = [];

  async function locker(host: string) {
    const started = await startLocker(database.url, host);
    lockers.push(started);
    return started;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    await pool.query(CREATE_LOCK_EPOCHS_TABLE_SQL);
    await pool.query('CREATE TABLE nodes (id int PRIMARY KEY, provision_state text)');
    await pool.query(
      `INSERT INTO nodes VALUES (1, 'available'), (2, 'available'), (3, 'available')`,
    );
  });

  afterEach(async () => {
    await Promise.all(lockers.splice(0).map((l) => l.close()));
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('a conductor killed with SIGKILL holds nothing once its session closes', async () => {
    const ids = [101, 102, 103];
    const holder = startService('packages/node-locks/test/fixtures/holder.ts', {
      env: { DATABASE_URL: database.url, LOCK_HOST: 'doomed-conductor', NODE_IDS: ids.join(',') },
    });
    try {
      await holder.waitFor(/held/);
      const reservations = await reservationsOf(pool, ids);
      expect([...reservations.values()]).toEqual(ids.map(() => 'doomed-conductor'));

      const survivor = await locker('survivor');
      await expect(survivor.acquireExclusive(node(101))).rejects.toThrow(
        'is locked by host doomed-conductor',
      );
      holder.kill('SIGKILL');
      expect(await holder.exited()).toBe('SIGKILL');
      const started = Date.now();
      for (const id of ids) await eventually(() => survivor.acquireExclusive(node(id)), 5_000);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(survivor.held).toBe(3);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  const fenced = (state: string, id: number, token: string) =>
    pool.query(
      `UPDATE nodes SET provision_state = $1 WHERE id = $2 AND ${stillHeldSql('$2', '$3')}`,
      [state, id, token],
    );

  it('a lost session suspends its locks and takes them back: the work under them goes on', async () => {
    const a = await locker('conductor-a');
    const events: SessionLostEvent[] = [];
    let duringLoss: Promise<unknown> | undefined;
    a.onSessionLost((event) => {
      events.push(event);
      duringLoss = a.acquireExclusive(node(9)).catch((error: unknown) => error);
    });

    const lock = await a.acquireExclusive(node(1));
    const other = await a.acquireExclusive(node(2));
    expect((await fenced('deploying', 1, lock.fenceToken)).rowCount).toBe(1);
    // A token of another session never passes, even for a held node.
    expect((await fenced('deploying', 1, `${a.sessionPid}:0`)).rowCount).toBe(0);

    const oldPid = a.sessionPid;
    const oldToken = lock.fenceToken;
    await pool.query('SELECT pg_terminate_backend($1)', [oldPid]);
    await eventually(async () => expect(events).toHaveLength(1));
    expect(events[0]!.nodeIds.sort()).toEqual([1, 2]);
    // With no session to lock with (one attempt, before the reconnect), it is a 503, not a 409.
    expect(await duringLoss).toBeInstanceOf(TemporaryFailure);

    await lock.whenHeld();
    await other.whenHeld();
    expect(a.sessionPid).not.toBe(oldPid);
    expect(lock.signal.aborted).toBe(false);
    expect(other.signal.aborted).toBe(false);
    expect(lock.held && !lock.suspended).toBe(true);
    expect(a.held).toBe(2);
    expect(lock.fenceToken).not.toBe(oldToken);
    // Writes under the old session's token stay refused; the lock's token now is the new session's.
    expect((await fenced('active', 1, oldToken)).rowCount).toBe(0);
    expect((await fenced('active', 1, lock.fenceToken)).rowCount).toBe(1);
    expect(await reservationsOf(pool, [1, 2])).toEqual(
      new Map([
        [1, 'conductor-a'],
        [2, 'conductor-a'],
      ]),
    );
    await lock.release();
    expect(await reservationsOf(pool, [1])).toEqual(new Map());
  });

  it('a lock another conductor took while the session was gone is lost, and says who took it', async () => {
    const a = await locker('conductor-a');
    const b = await locker('conductor-b');
    const takenMeanwhile = await a.acquireExclusive(node(1));
    const takenNow = await a.acquireExclusive(node(2));
    const untouched = await a.acquireExclusive(node(3));
    const reasonOf = (lock: ExclusiveLock) =>
      new Promise<unknown>((resolve) =>
        lock.signal.addEventListener('abort', () => resolve(lock.signal.reason), { once: true }),
      );
    const reasons = [reasonOf(takenMeanwhile), reasonOf(takenNow)];

    // Keep conductor-a from reconnecting while conductor-b, still connected, uses the gap.
    await queryDatabase(
      TEST_POSTGRES_ADMIN_URL,
      `ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`,
    );
    try {
      await pool.query('SELECT pg_terminate_backend($1)', [a.sessionPid]);
      await eventually(async () => expect(takenMeanwhile.suspended).toBe(true));
      const first = await eventually(() => b.acquireExclusive(node(1)));
      expect((await fenced('deploy failed', 1, first.fenceToken)).rowCount).toBe(1);
      await first.release();
      await b.acquireExclusive(node(2));
    } finally {
      await queryDatabase(
        TEST_POSTGRES_ADMIN_URL,
        `ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`,
      );
    }

    const [meanwhile, now] = (await Promise.all(reasons)) as NodeLockLost[];
    expect(meanwhile).toBeInstanceOf(NodeLockLost);
    expect(meanwhile!.message).toBe(
      `Conductor conductor-a lost its database session holding the lock on node ${node(1).ident}, ` +
        `and conductor conductor-b held the node's lock before it could take it back; ` +
        `the operation was stopped.`,
    );
    expect(now!.message).toContain(
      `and conductor conductor-b took the node's lock before it could take it back`,
    );
    await expect(takenMeanwhile.whenHeld()).rejects.toBe(meanwhile);
    await untouched.whenHeld();
    expect(untouched.signal.aborted).toBe(false);
    expect(a.held).toBe(1);
    // The refused take-back left nothing held: node 1 is free, node 2 is conductor-b's.
    expect(await reservationsOf(pool, [1, 2, 3])).toEqual(
      new Map([
        [2, 'conductor-b'],
        [3, 'conductor-a'],
      ]),
    );
    const { rows } = await pool.query('SELECT provision_state FROM nodes WHERE id = 1');
    expect(rows).toEqual([{ provision_state: 'deploy failed' }]);
  });

  it('an acquire retrying while the session reconnects gets the lock on the new session', async () => {
    const a = await startLocker(database.url, 'conductor-a', {
      retryAttempts: 10,
      retryIntervalMs: 1_000,
    });
    lockers.push(a);
    const oldPid = a.sessionPid;
    const duringLoss = new Promise<{ lock: ExclusiveLock; started: number }>((resolve, reject) =>
      a.onSessionLost(() => {
        expect(a.sessionPid).toBeUndefined();
        const started = performance.now();
        a.acquireExclusive(node(4)).then((lock) => resolve({ lock, started }), reject);
      }),
    );
    await pool.query('SELECT pg_terminate_backend($1)', [oldPid]);
    const { lock, started } = await duringLoss;
    expect(lock.held).toBe(true);
    expect(a.sessionPid).not.toBe(oldPid);
    // Woken by the reconnect rather than left to sleep through its interval.
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('a release racing the loss leaves nothing behind', async () => {
    const a = await locker('conductor-a');
    const b = await locker('conductor-b');
    const lock = await a.acquireExclusive(node(3));
    await Promise.all([
      pool.query('SELECT pg_terminate_backend($1)', [a.sessionPid]),
      lock.release(),
    ]);
    await expect(lock.release()).resolves.toBeUndefined();
    await eventually(() => b.acquireExclusive(node(3)));
  });
});
