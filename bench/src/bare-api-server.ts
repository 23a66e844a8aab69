import { randomUUID } from 'node:crypto';
import express from 'express';
import pg from 'pg';
import { bareAmqpClient } from './bare-amqp-client';

/**
 * Child process: the floor of Galvanic's API workloads. The parts the api is built from (express
 * 5 and a pg pool of the same size) answering the same routes from the same `nodes` table with
 * nothing else: no validation, microversions, policy, logging or Ironic's field rules.
 *
 * Under `/via-rpc`, the routes a conductor serves in Galvanic (passthru, delete) read the node and
 * call a bare conductor (bare-conductor.ts) over bare amqplib request/reply, which takes the
 * node's advisory lock: the floor of all the parts such a request crosses.
 */
const [databaseUrl, poolSize, amqpUrl, conductorQueue] = process.argv.slice(2) as [
  string,
  string,
  string?,
  string?,
];
const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(poolSize) });
const app = express();
app.use(express.json());

app.get('/v1/nodes/detail', async (req, res) => {
  const limit = Number(req.query.limit ?? 1000);
  const { rows } = await pool.query('SELECT * FROM nodes ORDER BY id LIMIT $1', [limit]);
  res.json({ nodes: rows });
});
app.get('/v1/nodes/:uuid', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM nodes WHERE uuid = $1', [req.params.uuid]);
  if (rows.length === 0) res.status(404).end();
  else res.json(rows[0]);
});
app.post('/v1/nodes', async (req, res) => {
  const body = req.body as { driver: string; name?: string };
  const { rows } = await pool.query(
    'INSERT INTO nodes (uuid, driver, name) VALUES ($1, $2, $3) RETURNING *',
    [randomUUID(), body.driver, body.name ?? null],
  );
  res.status(201).json(rows[0]);
});
app.delete('/v1/nodes/:uuid', async (req, res) => {
  const { rowCount } = await pool.query('DELETE FROM nodes WHERE uuid = $1', [req.params.uuid]);
  res.status(rowCount ? 204 : 404).end();
});

if (amqpUrl && conductorQueue) {
  const conductor = await bareAmqpClient(amqpUrl, conductorQueue);
  const viaConductor = async (uuid: string, op: 'load' | 'delete') => {
    const { rows } = await pool.query({
      name: 'by_uuid',
      text: 'SELECT * FROM nodes WHERE uuid = $1',
      values: [uuid],
    });
    const node = rows[0] as { id: number } | undefined;
    if (!node) return undefined;
    return JSON.parse((await conductor.call(JSON.stringify({ op, id: node.id }))).toString()) as {
      locked?: boolean;
      error?: string;
    };
  };
  const answer = (res: express.Response, reply: Awaited<ReturnType<typeof viaConductor>>) =>
    !reply
      ? res.status(404).end()
      : reply.locked
        ? res.status(409).end()
        : reply.error
          ? res.status(500).json(reply)
          : undefined;
  app.post('/via-rpc/v1/nodes/:uuid/vendor_passthru', async (req, res) => {
    const reply = await viaConductor(req.params.uuid, 'load');
    if (!answer(res, reply)) res.json(true);
  });
  app.delete('/via-rpc/v1/nodes/:uuid', async (req, res) => {
    const reply = await viaConductor(req.params.uuid, 'delete');
    if (!answer(res, reply)) res.status(204).end();
  });
}

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`ready ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
