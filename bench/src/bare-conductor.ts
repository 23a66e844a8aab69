import amqp from 'amqplib';
import pg from 'pg';
import { LOCK_NAMESPACE } from '@galvanic/db/node-locks';

/**
 * Child process: the floor of a locked node call's conductor side, from the parts Galvanic's
 * conductor is built from and nothing else. Per request off the queue: the node's advisory lock on
 * one dedicated session, one statement on a pool (load the node, or delete it), the unlock, the
 * reply. No RPC envelope, deadline, message signature, task, driver or epoch.
 */
const [databaseUrl, url, queue, poolSize] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const lockSession = new pg.Client({ connectionString: databaseUrl });
await lockSession.connect();
const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(poolSize) });
const connection = await amqp.connect(url, { noDelay: true });
const channel = await connection.createChannel();
await channel.assertQueue(queue, { exclusive: true, autoDelete: true });
await channel.prefetch(64);

async function handle(request: { op: 'load' | 'delete'; id: number }): Promise<unknown> {
  const { rows } = await lockSession.query({
    name: 'lock',
    text: `SELECT pg_try_advisory_lock(${LOCK_NAMESPACE}, $1::int4) AS ok`,
    values: [request.id],
  });
  if (!(rows[0] as { ok: boolean }).ok) return { locked: true };
  try {
    if (request.op === 'delete') {
      await pool.query({
        name: 'delete',
        text: 'DELETE FROM nodes WHERE id = $1',
        values: [request.id],
      });
      return { deleted: true };
    }
    const loaded = await pool.query({
      name: 'load',
      text: 'SELECT * FROM nodes WHERE id = $1',
      values: [request.id],
    });
    return { node: (loaded.rows[0] as { uuid: string }).uuid };
  } finally {
    await lockSession.query({
      name: 'unlock',
      text: `SELECT pg_advisory_unlock(${LOCK_NAMESPACE}, $1::int4)`,
      values: [request.id],
    });
  }
}

await channel.consume(queue, (message) => {
  if (!message) return;
  void handle(JSON.parse(message.content.toString()) as { op: 'load' | 'delete'; id: number })
    .catch((error: Error) => ({ error: error.message }))
    .then((reply) => {
      channel.sendToQueue(
        message.properties.replyTo as string,
        Buffer.from(JSON.stringify(reply)),
        {
          correlationId: message.properties.correlationId as string,
        },
      );
      channel.ack(message);
    });
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void Promise.allSettled([connection.close(), pool.end(), lockSession.end()]).then(() =>
    process.exit(0),
  );
});
