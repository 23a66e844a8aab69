// Node lock throughput of one conductor: exclusive acquire + release pairs per second over the
// single lock session, sequentially and with 32 tasks on distinct nodes at once. Prints JSON.
// Uses DATABASE_URL if set, else a throwaway database on the test PostgreSQL.
//   node --import tsx packages/node-locks/bench/lock-rate.ts [seconds per run, default 3]
import { silentLogger } from '@galvanic/logging';
import { createTestDatabase } from '@galvanic/testing';
import pg from 'pg';
import { CREATE_LOCK_EPOCHS_TABLE_SQL, NodeLocker } from '../src';

const seconds = Number(process.argv[2] ?? 3);
const database = process.env.DATABASE_URL ? undefined : await createTestDatabase('galvanic_bench');
const connectionString = process.env.DATABASE_URL ?? database!.url;
const setup = new pg.Client({ connectionString });
await setup.connect();
await setup.query(CREATE_LOCK_EPOCHS_TABLE_SQL);
await setup.end();
const locker = new NodeLocker({
  connectionString,
  host: 'bench',
  logger: silentLogger(),
  retryAttempts: 1,
});
await locker.start();

async function pairsPerSecond(tasks: number): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let pairs = 0;
  const worker = async (nodeId: number) => {
    const ref = { id: nodeId, ident: `node-${nodeId}` };
    while (performance.now() < until) {
      const lock = await locker.acquireExclusive(ref);
      await lock.release();
      pairs++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: tasks }, (_, i) => worker(i + 1)));
  return Math.round(pairs / ((performance.now() - started) / 1000));
}

try {
  await pairsPerSecond(1); // warm-up: JIT, prepared statement
  const sequential = await pairsPerSecond(1);
  const concurrent32 = await pairsPerSecond(32);
  console.log(
    JSON.stringify({ unit: 'acquire+release pairs/s', seconds, sequential, concurrent32 }),
  );
} finally {
  await locker.close();
  await database?.drop();
}
