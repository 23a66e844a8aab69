import { Router } from 'express';
import type { NodeStore } from '@galvanic/db';
import { NotFound } from '@galvanic/errors';
import { methodNotAllowed } from '../http/errors';
import { MINOR_82_NODE_SHARD } from '../resources/versions';

/**
 * Ironic's `GET /v1/shards` (1.82): each shard with its number of nodes, most first, nodes
 * without a shard counted under `None`. There is no single shard to get.
 */
export function shardsRouter(nodes: NodeStore): Router {
  const router = Router();
  router.use((req, _res, next) => {
    if (req.apiVersion.minor < MINOR_82_NODE_SHARD)
      throw new NotFound('The API version does not allow shards');
    next();
  });
  router
    .route('/')
    .get(async (_req, res) => {
      res.json({ shards: await nodes.shards() });
    })
    .all(methodNotAllowed(['GET']));
  router.all('/:shard', () => {
    throw new NotFound();
  });
  return router;
}
