import { Router } from 'express';
import type { NodeInventoryStore, NodeStore } from '@galvanic/db';
import { NodeInventoryNotFound, NotFound } from '@galvanic/errors';
import { methodNotAllowed } from '../../http/errors';
import { atLeast } from '../../http/microversion';
import { MINOR_81_NODE_INVENTORY } from '../../resources/versions';
import { findNode } from './identity';

/** `GET /v1/nodes/{node}/inventory` (1.81): what the node's agent reported at inspection. */
export function nodeInventoryRouter(nodes: NodeStore, inventories: NodeInventoryStore): Router {
  const router = Router({ mergeParams: true });
  router
    .route('/')
    .get(async (req, res) => {
      if (!atLeast(req, MINOR_81_NODE_INVENTORY)) throw new NotFound();
      const node = await findNode(req, nodes, String((req.params as Record<string, string>).ident));
      const stored = await inventories.get(node.id);
      if (!stored) throw new NodeInventoryNotFound(node.uuid);
      res.json({ inventory: stored.inventory_data, plugin_data: stored.plugin_data });
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
