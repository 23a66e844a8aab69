import { randomUUID } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ConductorDirectory } from '@galvanic/cluster';
import { destroyNodeMethod, updateNodeMethod, type NodeUpdate } from '@galvanic/conductor-api';
import type { ChassisStore, NodeFilters, NodeRow, NodeSortKey, NodeStore } from '@galvanic/db';
import { ChassisNotFound, InvalidParameterValue, NodeNotFound } from '@galvanic/errors';
import { collectionQuery, nextLink, singleQueryParam } from '../../http/collection';
import { methodNotAllowed } from '../../http/errors';
import { baseUrl } from '../../http/links';
import { fieldsAt } from '../../resources/declaration';
import { declaredFilters } from '../../resources/query';
import { booleanWord, uuidArgument } from '../../resources/rules';
import { findNode, isValidNodeName } from './identity';
import { resolveInterfaces } from './interfaces';
import type { NodeOwners } from './owner';
import { patchNode } from './patch';
import { defaultListFields, NODE_RESOURCE } from './resource';
import { checkCreateBody } from './schema';
import type { NodeViews } from './view';

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
 * Lists nodes: `/v1/nodes[/detail]`, or with `chassisOf`, the nodes of the chassis a path names
 * (`/v1/chassis/{uuid}/nodes[/detail]`).
 */
export function listNodes(
  deps: NodeCrudDependencies,
  detailPath: boolean,
  chassisOf?: (req: Request) => string,
): RequestHandler {
  return async (req: Request, res: Response) => {
    const minor = req.apiVersion.minor;
    const query = collectionQuery(req, {
      sortKeys: NODE_RESOURCE.sortKeys,
      defaultSortKey: 'id',
      fields: fieldsAt(NODE_RESOURCE, minor),
    });
    if (detailPath && (query.fields || singleQueryParam(req, 'detail') !== undefined)) {
      throw new InvalidParameterValue(
        'Can not specify ?detail=True and fields in the same request.',
      );
    }
    let marker: NodeRow | undefined;
    if (query.marker !== undefined) {
      marker = await deps.nodes.getByUuid(uuidArgument('marker', query.marker).toLowerCase());
      if (!marker) throw new InvalidParameterValue(`Marker ${query.marker} does not exist.`);
    }
    const filters = declaredFilters(NODE_RESOURCE, req) as NodeFilters;
    const chassisUuid = chassisOf
      ? uuidArgument('chassis_uuid', chassisOf(req))
      : singleQueryParam(req, 'chassis_uuid');
    if (chassisUuid !== undefined) {
      const chassis = await deps.chassis.getByUuid(
        uuidArgument('chassis_uuid', chassisUuid).toLowerCase(),
      );
      if (!chassis) throw new ChassisNotFound(chassisUuid);
      filters.chassis_id = chassis.id;
    }
    const rows = await deps.nodes.list({
      filters,
      limit: query.limit,
      marker,
      sortKey: query.sortKey as NodeSortKey,
      sortDir: query.sortDir,
    });
    const detail = detailPath || query.detail;
    const fields = detail
      ? fieldsAt(NODE_RESOURCE, minor)
      : [...new Set([...(query.fields ?? defaultListFields(minor)), 'links'])];
    const body: Record<string, unknown> = { nodes: await deps.views.render(req, rows, fields) };
    if (rows.length === query.limit && rows.length > 0) {
      const collection = chassisOf ? `chassis/${chassisOf(req)}/nodes` : 'nodes';
      body.next = nextLink(
        baseUrl(req, deps.publicEndpoint),
        detailPath ? `${collection}/detail` : collection,
        req,
        rows.at(-1)!.uuid,
      );
    }
    res.json(body);
  };
}

/** `POST /v1/nodes`: Ironic's schema, the driver's interfaces resolved by live conductors. */
function createNode(deps: NodeCrudDependencies): RequestHandler {
  return async (req: Request, res: Response) => {
    const body = checkCreateBody(req.body, req.apiVersion.minor);
    const uuid = typeof body.uuid === 'string' ? body.uuid.toLowerCase() : randomUUID();
    if (typeof body.name === 'string' && !isValidNodeName(body.name)) {
      throw new InvalidParameterValue(`Cannot create node with invalid name '${body.name}'`);
    }
    const driver = body.driver as string;
    const group =
      typeof body.conductor_group === 'string' ? body.conductor_group.toLowerCase() : '';
    const interfaces = await resolveInterfaces(deps.directory, uuid, driver, group, body, true);
    const { chassis_uuid: chassisUuid, ...fields } = body;
    const chassisId = await chassisIdFor(deps.chassis, chassisUuid);
    const row = await deps.nodes.create({
      ...fields,
      ...interfaces,
      uuid,
      driver,
      conductor_group: group,
      ...(chassisId === null ? {} : { chassis_id: chassisId }),
    });
    row.reservation = null; // nobody can hold the lock of a node that did not exist a moment ago
    res
      .status(201)
      .setHeader('Location', `${baseUrl(req, deps.publicEndpoint)}/v1/nodes/${row.uuid}`);
    res.json(await deps.views.show(req, row));
  };
}

/** `GET /v1/nodes/{node}`, with `?fields=`. */
function showNode(deps: NodeCrudDependencies): RequestHandler {
  return async (req: Request, res: Response) => {
    const node = await findNode(req, deps.nodes, String(req.params.ident), true);
    const fieldsText = singleQueryParam(req, 'fields');
    const fields = fieldsText
      ? [
          ...new Set([
            ...collectionQuery(req, {
              sortKeys: ['id'],
              defaultSortKey: 'id',
              fields: fieldsAt(NODE_RESOURCE, req.apiVersion.minor),
            }).fields!,
            'links',
          ]),
        ]
      : undefined;
    res.json(await deps.views.show(req, node, fields));
  };
}

/**
 * `PATCH /v1/nodes/{node}`: the patch checked here, interfaces resolved on a driver change, the
 * change saved by the owning conductor under the node's exclusive lock, as in Ironic.
 */
function patchNodeHandler(deps: NodeCrudDependencies): RequestHandler {
  return async (req: Request, res: Response) => {
    const ident = String(req.params.ident);
    const node = await findNode(req, deps.nodes, ident);
    const changes = patchNode(node, await deps.views.chassisUuidOf(node), req.body);
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

/** The node collection and one node: list, detail, create, show, patch, delete. */
export function nodeCrudRouter(deps: NodeCrudDependencies): Router {
  const router = Router();
  router
    .route('/')
    .get(listNodes(deps, false))
    .post(createNode(deps))
    .all(methodNotAllowed(['GET', 'POST']));
  router
    .route('/detail')
    .get(listNodes(deps, true))
    .all(methodNotAllowed(['GET']));
  router
    .route('/:ident')
    .get(showNode(deps))
    .patch(patchNodeHandler(deps))
    .delete(deleteNode(deps))
    .all(methodNotAllowed(['GET', 'PATCH', 'DELETE']));
  return router;
}
