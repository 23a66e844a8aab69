import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { NodeLocked } from '@galvanic/errors';
import { createTestDatabase, type TestDatabase } from '@galvanic/testing';
import {
  CREATE_LOCK_EPOCHS_TABLE_SQL,
  LOCK_NAMESPACE,
  NodeLockLost,
  RESERVATIONS_SQL,
  reservationOf,
  reservationsOf,
  type NodeLocker,
} from '../src';
import { node, startLocker } from './helpers';

const lockedText = (id: number, host: string) =>
  `Node ${node(id).ident} is locked by host ${host}, please retry after the current operation is completed.`;

describe('NodeLocker', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const lockers: NodeLocker[] = [];

  async function locker(host: string, options: Parameters<typeof startLocker>[2] = {}) {
    const started = await startLocker(database.url, host, options);
    lockers.push(started);
    return started;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    await pool.query(CREATE_LOCK_EPOCHS_TABLE_SQL);
  });

  afterEach(async () => {
    await Promise.all(lockers.splice(0).map((l) => l.close()));
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('uses the documented namespace, two-int4 form', async () => {
    const a = await locker('conductor-a');
    await a.acquireExclusive(node(7));
    const { rows } = await pool.query(
      `SELECT classid::bigint, objid::bigint, objsubid FROM pg_locks WHERE locktype = 'advisory' AND pid = $1`,
      [a.sessionPid],
    );
    expect(rows).toEqual([{ classid: String(LOCK_NAMESPACE), objid: '7', objsubid: 2 }]);
  });

  it('an exclusive lock excludes another conductor, and release lets it in', async () => {
    const a = await locker('conductor-a');
    const b = await locker('conductor-b');
    const lock = await a.acquireExclusive(node(1));
    const refused = b.acquireExclusive(node(1));
    await expect(refused).rejects.toBeInstanceOf(NodeLocked);
    await expect(refused).rejects.toThrow(lockedText(1, 'conductor-a'));
    await lock.release();
    expect(lock.held).toBe(false);
    const next = await b.acquireExclusive(node(1));
    expect(next.held).toBe(true);
    expect(b.held).toBe(1);
    expect(a.held).toBe(0);
  });

  it("an exclusive lock excludes the same conductor's other tasks", async () => {
    const a = await locker('conductor-a');
    const lock = await a.acquireExclusive(node(2));
    await expect(a.acquireExclusive(node(2))).rejects.toThrow(lockedText(2, 'conductor-a'));
    await lock.release();
    await a.acquireExclusive(node(2));
  });

  it('concurrent acquires of one node in one conductor: exactly one wins', async () => {
    const a = await locker('conductor-a');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => a.acquireExclusive(node(3))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(a.held).toBe(1);
  });

  it('distinct nodes do not interfere', async () => {
    const a = await locker('conductor-a');
    const b = await locker('conductor-b');
    const locks = await Promise.all([
      a.acquireExclusive(node(10)),
      a.acquireExclusive(node(11)),
      b.acquireExclusive(node(12)),
      b.acquireExclusive(node(13)),
    ]);
    expect(locks.every((l) => l.held)).toBe(true);
    expect([a.held, b.held]).toEqual([2, 2]);
  });

  it('withExclusiveLock releases when the work throws', async () => {
    const a = await locker('conductor-a');
    await expect(
      a.withExclusiveLock(node(4), () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(a.held).toBe(0);
    expect(await a.withExclusiveLock(node(4), (lock) => lock.nodeId)).toBe(4);
  });

  it('a shared lock neither blocks nor is blocked; its upgrade contends', async () => {
    const a = await locker('conductor-a');
    const b = await locker('conductor-b');
    const exclusive = await a.acquireExclusive(node(5));
    const shared = b.shared(node(5));
    const sharedHere = a.shared(node(5));
    expect(shared.nodeId).toBe(5);
    await expect(shared.upgrade()).rejects.toThrow(lockedText(5, 'conductor-a'));
    await expect(sharedHere.upgrade()).rejects.toThrow(lockedText(5, 'conductor-a'));
    await exclusive.release();

    const fresh = b.shared(node(5));
    const upgraded = await fresh.upgrade();
    expect(await fresh.upgrade()).toBe(upgraded);
    // A shared lock taken while an exclusive one is held takes nothing, so it is not refused.
    expect(a.shared(node(5)).node).toBe(node(5).ident);
    await expect(a.acquireExclusive(node(5))).rejects.toThrow(lockedText(5, 'conductor-b'));
  });

  it('mutual exclusion holds under load: many tasks, two conductors, few nodes', async () => {
    const conductors = [await locker('conductor-a'), await locker('conductor-b')];
    const owners = new Map<number, string>();
    let acquired = 0;
    let refused = 0;
    const until = performance.now() + 700;
    const task = async (name: string, conductor: NodeLocker) => {
      while (performance.now() < until) {
        const id = 40 + Math.floor(Math.random() * 4);
        let lock;
        try {
          lock = await conductor.acquireExclusive(node(id));
        } catch (error) {
          expect(error).toBeInstanceOf(NodeLocked);
          refused++;
          continue;
        }
        expect(owners.get(id)).toBeUndefined();
        owners.set(id, name);
        acquired++;
        await new Promise((resolve) => setImmediate(resolve));
        owners.delete(id);
        await lock.release();
      }
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => task(`task-${i}`, conductors[i % 2]!)));
    expect(acquired).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(conductors.map((c) => c.held)).toEqual([0, 0]);
  });

  describe('retries', () => {
    it('fails with NodeLocked after (attempts - 1) intervals', async () => {
      const a = await locker('conductor-a');
      const b = await locker('conductor-b', { retryAttempts: 3, retryIntervalMs: 200 });
      await a.acquireExclusive(node(20));
      const started = performance.now();
      await expect(b.acquireExclusive(node(20))).rejects.toThrow(lockedText(20, 'conductor-a'));
      expect(performance.now() - started).toBeGreaterThanOrEqual(380);
    });

    it('in-process contention waits out the intervals too', async () => {
      const a = await locker('conductor-a', { retryAttempts: 3, retryIntervalMs: 200 });
      await a.acquireExclusive(node(21));
      const started = performance.now();
      await expect(a.acquireExclusive(node(21))).rejects.toThrow(lockedText(21, 'conductor-a'));
      expect(performance.now() - started).toBeGreaterThanOrEqual(380);
    });

    it('with one attempt fails at once', async () => {
      const a = await locker('conductor-a');
      const b = await locker('conductor-b', { retryAttempts: 1, retryIntervalMs: 5_000 });
      await a.acquireExclusive(node(22));
      const started = performance.now();
      await expect(b.acquireExclusive(node(22))).rejects.toBeInstanceOf(NodeLocked);
      expect(performance.now() - started).toBeLessThan(4_000);
    });

    it('a lock released during the retry window is acquired', async () => {
      const a = await locker('conductor-a', { retryAttempts: 3, retryIntervalMs: 200 });
      const b = await locker('conductor-b', { retryAttempts: 3, retryIntervalMs: 200 });
      const remote = await a.acquireExclusive(node(23));
      setTimeout(() => void remote.release(), 250);
      expect((await b.acquireExclusive(node(23))).held).toBe(true);

      const local = await b.acquireExclusive(node(24));
      setTimeout(() => void local.release(), 100);
      expect((await b.acquireExclusive(node(24))).held).toBe(true);
    });
  });

  it('reservations show the holding host for held nodes only, many nodes in one query', async () => {
    const a = await locker('conductor-a');
    const b = await locker('conductor-b.example.com');
    const ids = Array.from({ length: 500 }, (_, i) => 1000 + i);
    await Promise.all(ids.filter((id) => id % 3 === 0).map((id) => a.acquireExclusive(node(id))));
    await Promise.all(ids.filter((id) => id % 3 === 1).map((id) => b.acquireExclusive(node(id))));

    const reservations = await reservationsOf(pool, ids);
    expect(reservations.size).toBe(ids.filter((id) => id % 3 !== 2).length);
    for (const id of ids) {
      expect(reservations.get(id)).toBe(
        id % 3 === 0 ? 'conductor-a' : id % 3 === 1 ? 'conductor-b.example.com' : undefined,
      );
    }
    expect(await reservationOf(pool, 1002)).toBe('conductor-a');
    expect(await reservationOf(pool, 1001)).toBeNull();
    expect(await reservationsOf(pool, [])).toEqual(new Map());

    // As a CTE joined to a node list: one scan of pg_locks for the whole list.
    const { rows } = await pool.query<{ id: number; reservation: string | null }>(
      `WITH reservations AS (${RESERVATIONS_SQL})
       SELECT n.id, r.host AS reservation FROM unnest($1::int[]) AS n(id)
       LEFT JOIN reservations r ON r.node_id = n.id ORDER BY n.id`,
      [[1000, 1001, 1002]],
    );
    expect(rows).toEqual([
      { id: 1000, reservation: 'conductor-b.example.com' },
      { id: 1001, reservation: null },
      { id: 1002, reservation: 'conductor-a' },
    ]);

    await a.close();
    expect((await reservationsOf(pool, ids)).size).toBe(ids.filter((id) => id % 3 === 1).length);
  });

  it('close() releases everything and aborts the holders', async () => {
    const a = await locker('conductor-a');
    const b = await locker('conductor-b');
    const locks = await Promise.all([30, 31, 32].map((id) => a.acquireExclusive(node(id))));
    await a.close();
    expect(a.held).toBe(0);
    for (const lock of locks) {
      expect(lock.signal.aborted).toBe(true);
      expect(lock.signal.reason).toBeInstanceOf(NodeLockLost);
    }
    await Promise.all(locks.map((lock) => lock.release()));
    for (const id of [30, 31, 32]) expect((await b.acquireExclusive(node(id))).held).toBe(true);
    await expect(a.acquireExclusive(node(33))).rejects.toThrow('the node locker is closed');
  });

  it('rejects node ids that are not int4', async () => {
    const a = await locker('conductor-a');
    await expect(a.acquireExclusive({ id: 2 ** 31, ident: 'x' })).rejects.toThrow(TypeError);
    await expect(a.acquireExclusive({ id: 1.5, ident: 'x' })).rejects.toThrow(TypeError);
  });
});
