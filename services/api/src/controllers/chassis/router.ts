import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { ChassisRow, ChassisStore } from '@galvanic/db';
import { ChassisNotEmpty, ChassisNotFound } from '@galvanic/errors';
import { methodNotAllowed } from '../../http/errors';
import { ResourceHandlers } from '../../resources/router';
import { nodeHandlers, type NodeCrudDependencies } from '../nodes/crud';
import { CHASSIS_RESOURCE } from './resource';

/** A chassis' settable fields, as its schema checked them. */
interface ChassisValues {
  uuid?: string | null;
  description?: string | null;
  extra?: Record<string, unknown> | null;
}

export interface ChassisDependencies {
  chassis: ChassisStore;
  nodes: NodeCrudDependencies;
  publicEndpoint: string | undefined;
}

/**
 * Ironic's `/v1/chassis`: the declared resource with its storage, and the nodes of a chassis
 * (`/v1/chassis/{uuid}/nodes`).
 */
export function chassisRouter(deps: ChassisDependencies): Router {
  const { chassis } = deps;
  const handlers = new ResourceHandlers<
    ChassisRow,
    undefined,
    undefined,
    ChassisValues,
    ChassisValues
  >(
    CHASSIS_RESOURCE,
    {
      store: {
        getByUuid: (uuid) => chassis.getByUuid(uuid),
        list: (query) => chassis.list(query),
      },
      filters: () => Promise.resolve(undefined),
      create: {
        save: (_req, values) =>
          chassis.create({
            uuid: values.uuid?.toLowerCase() ?? randomUUID(),
            description: values.description ?? null,
            extra: values.extra ?? {},
          }),
      },
      patch: {
        save: async (_req, row, values) => {
          const description = values.description ?? null;
          const extra = values.extra ?? {};
          const changes = {
            ...(description !== row.description ? { description } : {}),
            ...(JSON.stringify(extra) !== JSON.stringify(row.extra) ? { extra } : {}),
          };
          if (Object.keys(changes).length === 0) return row;
          const updated = await chassis.update(row.id, changes);
          if (!updated) throw new ChassisNotFound(row.uuid);
          return updated;
        },
      },
      remove: async (_req, uuid, ident) => {
        const outcome = await chassis.delete(uuid);
        if (outcome === 'not-found') throw new ChassisNotFound(ident);
        if (outcome === 'not-empty') throw new ChassisNotEmpty(ident);
      },
    },
    { publicEndpoint: deps.publicEndpoint },
  );

  const router = Router();
  const nodes = nodeHandlers(deps.nodes);
  const chassisOf = (req: Request) => String(req.params.ident);
  const nodesOf = (req: Request) => `chassis/${chassisOf(req)}/nodes`;
  router
    .route('/:ident/nodes')
    .get(nodes.list(false, nodesOf, chassisOf))
    .all(methodNotAllowed(['GET']));
  router
    .route('/:ident/nodes/detail')
    .get(nodes.list(true, nodesOf, chassisOf))
    .all(methodNotAllowed(['GET']));
  router.use(handlers.router());
  return router;
}
