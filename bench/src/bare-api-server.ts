import { randomUUID } from 'node:crypto';
import express from 'express';
import pg from 'pg';

/**
 * Child process: the floor of Galvanic's API workloads. The parts the api is built from (express
 * 5 and a pg pool of the same size) answering the same routes from the same `nodes` table with
 * nothing else: no validation, microversions, policy, logging or Ironic's field rules.
 */
const [databaseUrl, poolSize] = process.argv.slice(2) as [string, string];
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

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`ready ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
