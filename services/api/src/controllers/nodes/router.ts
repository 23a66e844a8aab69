import { Router } from 'express';
import type { ConductorDirectory } from '@galvanic/cluster';
import type { AllocationStore, ChassisStore, NodeStore, RunbookStore } from '@galvanic/db';
import { BadRequest } from '@galvanic/errors';
import type { RpcClient } from '@galvanic/rpc';
import { nodeActionsRouter, type NodeActionDependencies } from './actions';
import { nodeCrudRouter, type NodeCrudDependencies } from './crud';
import { nodeVmediaRouter } from './vmedia';
import { NodeOwners } from './owner';
import { nodeSubresourcesRouter } from './subresources';
import { NodeViews, type ReservationLookup } from './view';

export type { ReservationLookup };

export interface NodesDependencies {
  nodes: NodeStore;
  chassis: ChassisStore;
  allocations: AllocationStore;
  directory: ConductorDirectory;
  rpc: RpcClient;
  reservations: ReservationLookup;
  /** The runbooks `clean` and `service` may name (1.92). */
  runbooks: RunbookStore;
  publicEndpoint: string | undefined;
}

/** What the node routers share, built once. */
export type NodeServices = NodeCrudDependencies & NodeActionDependencies;

export function nodeServices(deps: NodesDependencies): NodeServices {
  const owners = new NodeOwners(deps.directory, deps.rpc);
  const views = new NodeViews({
    reservations: deps.reservations,
    chassis: deps.chassis,
    allocations: deps.allocations,
    owners,
    publicEndpoint: deps.publicEndpoint,
  });
  return {
    nodes: deps.nodes,
    chassis: deps.chassis,
    directory: deps.directory,
    owners,
    views,
    runbooks: deps.runbooks,
    publicEndpoint: deps.publicEndpoint,
  };
}

/** Ironic's `/v1/nodes`: the node resource and its actions. */
export function nodesRouter(services: NodeServices): Router {
  const router = Router();
  router.use(nodeCrudRouter(services));
  router.use(nodeActionsRouter(services));
  router.use(nodeSubresourcesRouter(services));
  router.use(nodeVmediaRouter(services));
  router.use('/:ident', (req, _res, next) => {
    if (req.method === 'PUT' && req.path === '/')
      next(new BadRequest('PUT is not supported on a node.'));
    else next();
  });
  return router;
}
