import { Router } from 'express';
import type { NodeStore } from '@galvanic/db';
import { NotFound } from '@galvanic/errors';
import { MAX_LIMIT } from '../../http/collection';
import { methodNotAllowed } from '../../http/errors';
import { baseUrl } from '../../http/links';
import { MINOR_83_PARENT_CHILD_NODES } from '../../resources/versions';
import { findNode } from './identity';

export interface NodeChildrenDependencies {
  nodes: NodeStore;
  publicEndpoint: string | undefined;
}

/**
 * Ironic's `GET /v1/nodes/{node}/children` (1.83): the UUIDs of the nodes whose `parent_node` is
 * this node, and a link to the node list filtered by it; mounted with `:ident`.
 */
export function nodeChildrenRouter(deps: NodeChildrenDependencies): Router {
  const router = Router({ mergeParams: true });
  router
    .route('/')
    .get(async (req, res) => {
      if (req.apiVersion.minor < MINOR_83_PARENT_CHILD_NODES) throw new NotFound();
      const ident = String((req.params as Record<string, string>).ident);
      const parent = await findNode(req, deps.nodes, ident);
      const children = await deps.nodes.list({
        filters: { parent_node: parent.uuid },
        limit: MAX_LIMIT,
        sortKey: 'id',
        sortDir: 'asc',
      });
      const base = baseUrl(req, deps.publicEndpoint);
      res.json({
        children: children.map((child) => child.uuid),
        // Ironic's is one link object, not a list.
        links: { href: `${base}/v1/nodes?parent_node=${parent.uuid}`, rel: 'children' },
      });
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
