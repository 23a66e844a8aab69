import { randomUUID } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ConductorDirectory } from '@galvanic/cluster';
import { destroyNodeMethod, updateNodeMethod, type NodeUpdate } from '@galvanic/conductor-api';
import type {
  ChassisStore,
  NodeFilters,
  NodeListQuery,
  NodeRow,
  NodeSortKey,
  NodeStore,
} from '@galvanic/db';
import { ChassisNotFound, Invalid, InvalidParameterValue, NodeNotFound } from '@galvanic/errors';
import { singleQueryParam } from '../../http/collection';
import { methodNotAllowed } from '../../http/errors';
import type { DeclaredFilters } from '../../resources/query';
import { RenderedRowCache } from '../../resources/rendered-rows';
import { ResourceHandlers, type StoreListQuery } from '../../resources/router';
import { booleanWord, uuidArgument } from '../../resources/rules';
import * as v from '../../resources/versions';
import { findNode, isValidNodeName } from './identity';
import { resolveInterfaces } from './interfaces';
import type { NodeOwners } from './owner';
import { patchNode } from './patch';
import { NODE_RESOURCE } from './resource';
import { checkCreateBody } from './schema';
import { nodeComputedField, type NodeRenderContext, type NodeViews } from './view';

export interface NodeCrudDependencies {
  nodes: NodeStore;
  chassis: ChassisStore;
  directory: ConductorDirectory;
  owners: NodeOwners;
  views: NodeViews;
  publicEndpoint: string | undefined;
}

/**
 * The id of the chassis a node is put in, or null to take it out. An unknown chassis is Ironic's
 * ChassisNotFound text with a 400: the node is the resource being acted on.
 */
async function chassisIdFor(chassis: ChassisStore, uuid: unknown): Promise<number | null> {
  if (typeof uuid !== 'string') return null;
  const row = await chassis.getByUuid(uuid.toLowerCase());
  if (!row) throw new InvalidParameterValue(`Chassis ${uuid} could not be found.`);
  return row.id;
}

/**
 * The UUID of the node a `parent_node` value names (a UUID or a name), as Ironic stores it; an
 * unknown node is Ironic's Invalid, worded so it does not tell whether the node exists.
 */
async function parentNodeUuid(req: Request, nodes: NodeStore, value: unknown): Promise<unknown> {
  if (typeof value !== 'string') return value;
  try {
    return (await findNode(req, nodes, value)).uuid;
  } catch {
    throw new Invalid(
      `Unable to apply the requested parent_node '${value}'. Requested value was invalid.`,
    );
  }
}

/** The nodes a list is limited to: those of a chassis, named by the path or `?chassis_uuid=`. */
async function nodeFilters(
  req: Request,
  declared: DeclaredFilters,
  chassisStore: ChassisStore,
  parentChassis: string | undefined,
): Promise<NodeFilters> {
  // The declared filters are NodeFilters' own names and types (resource.ts).
  const filters = { ...declared } as NodeFilters;
  const chassisUuid = parentChassis ?? singleQueryParam(req, 'chassis_uuid');
  if (chassisUuid !== undefined) {
    const chassis = await chassisStore.getByUuid(
      uuidArgument('chassis_uuid', chassisUuid).toLowerCase(),
    );
    if (!chassis) throw new ChassisNotFound(chassisUuid);
    filters.chassis_id = chassis.id;
  }
  if (req.listProject !== undefined) filters.project = req.listProject;
  return filters;
}

/** A create body checked: Ironic's node schema, and a name Ironic would accept. */
function checkCreate(req: Request, body: unknown): Record<string, unknown> {
  const values = checkCreateBody(body, req.apiVersion.minor);
  if (typeof values.name === 'string' && !isValidNodeName(values.name)) {
    throw new InvalidParameterValue(`Cannot create node with invalid name '${values.name}'`);
  }
  return values;
}

/**
 * A new node's row: interfaces resolved by live conductors, the chassis by its UUID. Before
 * 1.11 a node starts `available`, as Ironic's did before the enroll state.
 */
async function saveNewNode(
  deps: NodeCrudDependencies,
  req: Request,
  values: Record<string, unknown>,
): Promise<NodeRow> {
  const minor = req.apiVersion.minor;
  const uuid = typeof values.uuid === 'string' ? values.uuid.toLowerCase() : randomUUID();
  const driver = values.driver as string;
  const group =
    typeof values.conductor_group === 'string' ? values.conductor_group.toLowerCase() : '';
  const interfaces = await resolveInterfaces(deps.directory, uuid, driver, group, values, true);
  const { chassis_uuid: chassisUuid, ...fields } = values;
  if (Object.hasOwn(fields, 'parent_node'))
    fields.parent_node = await parentNodeUuid(req, deps.nodes, fields.parent_node);
  const chassisId = await chassisIdFor(deps.chassis, chassisUuid);
  const row = await deps.nodes.create({
    ...fields,
    ...interfaces,
    uuid,
    driver,
    conductor_group: group,
    ...(chassisId === null ? {} : { chassis_id: chassisId }),
    ...(minor < v.MINOR_11_ENROLL_STATE ? { provision_state: 'available' } : {}),
  });
  row.reservation = null; // nobody can hold the lock of a node that did not exist a moment ago
  return row;
}

const NODE_VOLATILE_FIELDS: ReadonlySet<string> = new Set(['reservation', 'conductor']);

/** A page request as the node store takes it: reservations read along when they are shown. */
function nodeListQuery({ fields, ...query }: StoreListQuery<NodeRow, NodeFilters>): NodeListQuery {
  return {
    ...query,
    sortKey: query.sortKey as NodeSortKey,
    withReservations: fields.includes('reservation'),
  };
}

/**
 * The node resource's generic handlers (list, detail, show, create) from its declaration, with
 * the node's own hooks: names as identifiers, chassis filters, reservations and conductors shown,
 * and creation through the conductors' directory.
 */
export function nodeHandlers(
  deps: NodeCrudDependencies,
): ResourceHandlers<NodeRow, NodeFilters, NodeRenderContext> {
  return new ResourceHandlers<NodeRow, NodeFilters, NodeRenderContext>(
    NODE_RESOURCE,
    {
      store: {
        getByUuid: (uuid) => deps.nodes.getByUuid(uuid),
        list: (query) => deps.nodes.list(nodeListQuery(query)),
      },
      find: (req, ident) => findNode(req, deps.nodes, ident, true),
      filters: (req, declared, parent) => nodeFilters(req, declared, deps.chassis, parent),
      context: (req, rows, fields) => deps.views.context(rows, fields, req.apiVersion.minor),
      computed: nodeComputedField,
      versioned: {
        listVersions: (query) => deps.nodes.listVersions(nodeListQuery(query)),
        getManyVersioned: (ids) => deps.nodes.getManyVersioned(ids),
        // Who holds the lock and which conductor the ring names change with no write to the row.
        volatileFields: NODE_VOLATILE_FIELDS,
        cache: new RenderedRowCache(),
      },
      create: {
        check: checkCreate,
        save: (req, values) => saveNewNode(deps, req, values),
      },
    },
    { publicEndpoint: deps.publicEndpoint },
  );
}

/**
 * `PATCH /v1/nodes/{node}`: the patch checked here, interfaces resolved on a driver change, the
 * change saved by the owning conductor under the node's exclusive lock, as in Ironic.
 */
function patchNodeHandler(deps: NodeCrudDependencies): RequestHandler {
  return async (req: Request, res: Response) => {
    const ident = String(req.params.ident);
    const node = await findNode(req, deps.nodes, ident);
    const changes = patchNode(
      node,
      await deps.views.chassisUuidOf(node),
      req.body,
      req.apiVersion.minor,
    );
    const driver = (changes.driver as string | undefined) ?? node.driver;
    const group = (
      (changes.conductor_group as string | undefined) ?? node.conductor_group
    ).toLowerCase();
    if (Object.hasOwn(changes, 'conductor_group')) changes.conductor_group = group;
    // Ironic's reset_interfaces (1.45): on a driver change, interfaces not given go to defaults.
    const resetText = singleQueryParam(req, 'reset_interfaces');
    const reset = resetText !== undefined && booleanWord(resetText) === true;
    const driverChanged = Object.hasOwn(changes, 'driver');
    if (reset && !driverChanged) {
      throw new InvalidParameterValue(
        'The reset_interfaces parameter can be set only when updating the driver.',
      );
    }
    const touchesDriver = Object.keys(changes).some(
      (f) => f === 'driver' || f.endsWith('_interface') || f === 'conductor_group',
    );
    if (touchesDriver) {
      Object.assign(
        changes,
        await resolveInterfaces(
          deps.directory,
          node.uuid,
          driver,
          group,
          changes,
          reset || driverChanged,
        ),
      );
    }
    if (Object.hasOwn(changes, 'parent_node'))
      changes.parent_node = await parentNodeUuid(req, deps.nodes, changes.parent_node);
    if (Object.hasOwn(changes, 'chassis_uuid')) {
      changes.chassis_id = await chassisIdFor(deps.chassis, changes.chassis_uuid);
      delete changes.chassis_uuid;
    }
    if (Object.keys(changes).length > 0) {
      // Saved by the owning conductor under the node's exclusive lock, as in Ironic; the
      // conductor checks the changes' shapes again.
      await deps.owners.call(req, node, updateNodeMethod, { changes: changes as NodeUpdate });
    }
    const updated = await deps.nodes.getById(node.id, true);
    if (!updated) throw new NodeNotFound(ident);
    res.json(await deps.views.show(req, updated));
  };
}

/** `DELETE /v1/nodes/{node}`, done by the owning conductor. */
function deleteNode(deps: NodeCrudDependencies): RequestHandler {
  return async (req: Request, res: Response) => {
    const node = await findNode(req, deps.nodes, String(req.params.ident));
    await deps.owners.call(req, node, destroyNodeMethod, {});
    res.status(204).end();
  };
}

/**
 * The node collection and one node: list, detail, create and show from the declaration; patch
 * and delete through the owning conductor.
 */
export function nodeCrudRouter(deps: NodeCrudDependencies): Router {
  const handlers = nodeHandlers(deps);
  const collection = () => 'nodes';
  const router = Router();
  router
    .route('/')
    .get(handlers.list(false, collection))
    .post(handlers.create())
    .all(methodNotAllowed(['GET', 'POST']));
  router
    .route('/detail')
    .get(handlers.list(true, collection))
    .all(methodNotAllowed(['GET']));
  router
    .route('/:ident')
    .get(handlers.show())
    .patch(patchNodeHandler(deps))
    .delete(deleteNode(deps))
    .all(methodNotAllowed(['GET', 'PATCH', 'DELETE']));
  return router;
}
