import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { NodeOwnerCalls, type ConductorDirectory } from '@galvanic/cluster';
import {
  changePowerStateMethod,
  destroyNodeMethod,
  getBootDeviceMethod,
  getSupportedBootDevicesMethod,
  nodeVendorMethodsMethod,
  nodeVendorPassthruMethod,
  provisionMethod,
  setBootDeviceMethod,
  updateNodeMethod,
  validateNodeMethod,
  type NodeRef,
} from '@galvanic/conductor-api';
import {
  NODE_SORT_KEYS,
  type NodeFilters,
  type NodeRow,
  type NodeSortKey,
  type NodeStore,
} from '@galvanic/db';
import { BadRequest, InvalidParameterValue, NodeNotFound } from '@galvanic/errors';
import type { RpcClient, RpcMethod } from '@galvanic/rpc';
import { uuidArgument } from '../../http/arguments';
import { collectionQuery, nextLink, singleQueryParam } from '../../http/collection';
import { methodNotAllowed } from '../../http/errors';
import { baseUrl } from '../../http/links';
import { atLeast } from '../../http/microversion';
import { defaultListFields, fieldsAt, nodeToApi, type NodeContext } from './fields';
import { findNode, isValidNodeName } from './identity';
import { resolveInterfaces } from './interfaces';
import { patchNode } from './patch';
import { checkCreateBody } from './schema';
import { passthruHttpMethod, passthruMethodName, sendPassthruOutcome } from '../passthru';
import { checkPowerRequest, checkProvisionRequest, checkBootDeviceRequest } from './states';

/** Which host holds each node's exclusive lock now. */
export type ReservationLookup = (
  nodeIds: readonly number[],
) => Promise<ReadonlyMap<number, string>>;

export interface NodesDependencies {
  nodes: NodeStore;
  directory: ConductorDirectory;
  rpc: RpcClient;
  reservations: ReservationLookup;
  publicEndpoint: string | undefined;
}

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  '1': true,
  yes: true,
  false: false,
  '0': false,
  no: false,
};

function booleanWord(text: string): boolean | undefined {
  const word = text.toLowerCase();
  return Object.hasOwn(BOOLEAN_WORDS, word) ? BOOLEAN_WORDS[word] : undefined;
}

function booleanFilter(req: Request, name: string): boolean | undefined {
  const text = singleQueryParam(req, name);
  if (text === undefined) return undefined;
  const value = booleanWord(text);
  if (value === undefined)
    throw new InvalidParameterValue(
      `Invalid value for ${name}: ${text}. It must be true or false.`,
    );
  return value;
}

function listFilters(req: Request): NodeFilters {
  const filters: NodeFilters = {};
  for (const name of [
    'driver',
    'provision_state',
    'conductor_group',
    'owner',
    'lessee',
    'resource_class',
    'fault',
    'shard',
  ] as const) {
    const value = singleQueryParam(req, name);
    if (value !== undefined) filters[name] = value;
  }
  const instance = singleQueryParam(req, 'instance_uuid');
  if (instance !== undefined) filters.instance_uuid = uuidArgument('instance_uuid', instance);
  const description = singleQueryParam(req, 'description_contains');
  if (description !== undefined) filters.description_contains = description;
  const maintenance = booleanFilter(req, 'maintenance');
  if (maintenance !== undefined) filters.maintenance = maintenance;
  const associated = booleanFilter(req, 'associated');
  if (associated !== undefined) filters.associated = associated;
  const retired = booleanFilter(req, 'retired');
  if (retired !== undefined) filters.retired = retired;
  return filters;
}

export function nodesRouter(deps: NodesDependencies): Router {
  const { nodes, directory, rpc } = deps;
  const router = Router();

  const conductorOf = (node: NodeRow): string | null => {
    try {
      return directory.hostForNode(node.uuid, node.driver, node.conductor_group);
    } catch {
      return null;
    }
  };

  const contextFor = async (
    req: Request,
    rows: readonly NodeRow[],
  ): Promise<(row: NodeRow) => NodeContext> => {
    const base = baseUrl(req, deps.publicEndpoint);
    // Single-node reads carry the reservation from their own statement; lists ask once for all.
    const missing = rows.filter((row) => row.reservation === undefined).map((row) => row.id);
    const reservations =
      missing.length > 0 ? await deps.reservations(missing) : new Map<number, string>();
    return (row) => ({
      base,
      reservation:
        row.reservation !== undefined ? row.reservation : (reservations.get(row.id) ?? null),
      conductor: conductorOf(row),
    });
  };

  const showNode = async (req: Request, row: NodeRow, fields = fieldsAt(req.apiVersion.minor)) => {
    const context = await contextFor(req, [row]);
    return nodeToApi(row, fields, context(row));
  };

  const ownerCalls = new NodeOwnerCalls(directory, rpc);
  /**
   * Calls the conductor that owns the node, by the hash ring; a new conductor is found at once,
   * and a call that provably did not run goes once more to the owner as now known.
   */
  const callOwner = async <A extends NodeRef, R>(
    req: Request,
    node: NodeRow,
    method: RpcMethod<A, R>,
    args: Omit<A, keyof NodeRef>,
  ) =>
    ownerCalls.call(node, method, { ...args, node_id: node.id, node_uuid: node.uuid } as A, {
      requestId: req.requestId,
    });

  /** A read the owning conductor answers, given nothing but the node. */
  const askOwner =
    <R>(method: RpcMethod<NodeRef, R>) =>
    async (req: Request, res: Response) => {
      const node = await findNode(req, nodes, String(req.params.ident));
      res.json(await callOwner(req, node, method, {}));
    };

  const list = (detailPath: boolean) => async (req: Request, res: Response) => {
    const minor = req.apiVersion.minor;
    const query = collectionQuery(req, {
      sortKeys: NODE_SORT_KEYS,
      defaultSortKey: 'id',
      fields: fieldsAt(minor),
    });
    if (detailPath && (query.fields || singleQueryParam(req, 'detail') !== undefined)) {
      throw new InvalidParameterValue(
        'Can not specify ?detail=True and fields in the same request.',
      );
    }
    let marker: NodeRow | undefined;
    if (query.marker !== undefined) {
      marker = await nodes.getByUuid(uuidArgument('marker', query.marker).toLowerCase());
      if (!marker) throw new InvalidParameterValue(`Marker ${query.marker} does not exist.`);
    }
    const rows = await nodes.list({
      filters: listFilters(req),
      limit: query.limit,
      marker,
      sortKey: query.sortKey as NodeSortKey,
      sortDir: query.sortDir,
    });
    const detail = detailPath || query.detail;
    const fields = detail
      ? fieldsAt(minor)
      : [...new Set([...(query.fields ?? defaultListFields(minor)), 'links'])];
    const context = await contextFor(req, fields.includes('reservation') ? rows : []);
    const body: Record<string, unknown> = {
      nodes: rows.map((row) => nodeToApi(row, fields, context(row))),
    };
    if (rows.length === query.limit && rows.length > 0) {
      body.next = nextLink(
        baseUrl(req, deps.publicEndpoint),
        detailPath ? 'nodes/detail' : 'nodes',
        req,
        rows.at(-1)!.uuid,
      );
    }
    res.json(body);
  };

  router
    .route('/')
    .get(list(false))
    .post(async (req, res) => {
      const minor = req.apiVersion.minor;
      const body = checkCreateBody(req.body, minor);
      const uuid = typeof body.uuid === 'string' ? body.uuid.toLowerCase() : randomUUID();
      if (typeof body.name === 'string' && !isValidNodeName(body.name)) {
        throw new InvalidParameterValue(`Cannot create node with invalid name '${body.name}'`);
      }
      const driver = body.driver as string;
      const group =
        typeof body.conductor_group === 'string' ? body.conductor_group.toLowerCase() : '';
      const interfaces = await resolveInterfaces(directory, uuid, driver, group, body, true);
      const { chassis_uuid: _chassis, ...fields } = body;
      const row = await nodes.create({
        ...fields,
        ...interfaces,
        uuid,
        driver,
        conductor_group: group,
      });
      row.reservation = null; // nobody can hold the lock of a node that did not exist a moment ago
      res
        .status(201)
        .setHeader('Location', `${baseUrl(req, deps.publicEndpoint)}/v1/nodes/${row.uuid}`);
      res.json(await showNode(req, row));
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/detail')
    .get(list(true))
    .all(methodNotAllowed(['GET']));

  router
    .route('/:ident')
    .get(async (req, res) => {
      const node = await findNode(req, nodes, req.params.ident!, true);
      const fieldsText = singleQueryParam(req, 'fields');
      const fields = fieldsText
        ? [
            ...new Set([
              ...collectionQuery(req, {
                sortKeys: ['id'],
                defaultSortKey: 'id',
                fields: fieldsAt(req.apiVersion.minor),
              }).fields!,
              'links',
            ]),
          ]
        : fieldsAt(req.apiVersion.minor);
      res.json(await showNode(req, node, fields));
    })
    .patch(async (req, res) => {
      const node = await findNode(req, nodes, req.params.ident!);
      const changes = patchNode(node, req.body);
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
            directory,
            node.uuid,
            driver,
            group,
            changes,
            reset || driverChanged,
          ),
        );
      }
      if (Object.keys(changes).length > 0) {
        // Saved by the owning conductor under the node's exclusive lock, as in Ironic.
        await callOwner(req, node, updateNodeMethod, { changes });
      }
      const updated = await nodes.getById(node.id, true);
      if (!updated) throw new NodeNotFound(req.params.ident!);
      res.json(await showNode(req, updated));
    })
    .delete(async (req, res) => {
      const node = await findNode(req, nodes, req.params.ident!);
      await callOwner(req, node, destroyNodeMethod, {});
      res.status(204).end();
    })
    .all(methodNotAllowed(['GET', 'PATCH', 'DELETE']));

  router
    .route('/:ident/states')
    .get(async (req, res) => {
      const node = await findNode(req, nodes, req.params.ident!);
      const fields = [
        'console_enabled',
        'last_error',
        'power_state',
        'provision_state',
        'target_power_state',
        'target_provision_state',
        'provision_updated_at',
      ];
      if (atLeast(req, 12)) fields.push('raid_config', 'target_raid_config');
      if (atLeast(req, 75)) fields.push('boot_mode', 'secure_boot');
      res.json(await showNode(req, node, fields));
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/:ident/states/power')
    .put(async (req, res) => {
      const node = await findNode(req, nodes, req.params.ident!);
      const { target, timeout } = checkPowerRequest(req, node);
      await callOwner(
        req,
        node,
        changePowerStateMethod,
        timeout === undefined ? { target } : { target, timeout },
      );
      res
        .status(202)
        .setHeader('Location', `${baseUrl(req, deps.publicEndpoint)}/v1/nodes/${node.uuid}/states`);
      res.end();
    })
    .all(methodNotAllowed(['PUT']));

  router
    .route('/:ident/states/provision')
    .put(async (req, res) => {
      const node = await findNode(req, nodes, req.params.ident!);
      const request = checkProvisionRequest(req, node);
      await callOwner(req, node, provisionMethod, request);
      res
        .status(202)
        .setHeader('Location', `${baseUrl(req, deps.publicEndpoint)}/v1/nodes/${node.uuid}/states`);
      res.end();
    })
    .all(methodNotAllowed(['PUT']));

  router
    .route('/:ident/management/boot_device')
    .get(askOwner(getBootDeviceMethod))
    .put(async (req, res) => {
      const node = await findNode(req, nodes, req.params.ident!);
      const request = checkBootDeviceRequest(req);
      await callOwner(req, node, setBootDeviceMethod, request);
      res.status(204).end();
    })
    .all(methodNotAllowed(['GET', 'PUT']));

  router
    .route('/:ident/management/boot_device/supported')
    .get(askOwner(getSupportedBootDevicesMethod))
    .all(methodNotAllowed(['GET']));

  router
    .route('/:ident/validate')
    .get(askOwner(validateNodeMethod))
    .all(methodNotAllowed(['GET']));

  router
    .route('/:ident/vendor_passthru/methods')
    .get(askOwner(nodeVendorMethodsMethod))
    .all(methodNotAllowed(['GET']));

  router.all(['/:ident/vendor_passthru', '/:ident/vendor_passthru/:method'], async (req, res) => {
    const method = passthruMethodName(req);
    const node = await findNode(req, nodes, String(req.params.ident));
    const outcome = await callOwner(req, node, nodeVendorPassthruMethod, {
      method,
      http_method: passthruHttpMethod(req, method),
      body: req.body,
      driver: node.driver,
      vendor_interface: node.vendor_interface,
    });
    sendPassthruOutcome(res, outcome);
  });

  router.use('/:ident', (req, _res, next) => {
    if (req.method === 'PUT' && req.path === '/')
      next(new BadRequest('PUT is not supported on a node.'));
    else next();
  });
  return router;
}
