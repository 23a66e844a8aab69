import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type {
  NodeRow,
  NodeStore,
  PortFields,
  PortFilters,
  PortRow,
  PortSortKey,
  PortStore,
} from '@galvanic/db';
import { InvalidParameterValue, NodeNotFound, NotAcceptable, PortNotFound } from '@galvanic/errors';
import { singleQueryParam } from '../../http/collection';
import { methodNotAllowed } from '../../http/errors';
import type { PatchOperation } from '../../http/json-patch';
import { checkFieldsAllowed } from '../../resources/query';
import { ResourceHandlers } from '../../resources/router';
import { isUuid, isValidLogicalName, uuidArgument } from '../../resources/rules';
import {
  MINOR_5_NODE_NAME,
  MINOR_64_LOCAL_LINK_CONNECTION_NETWORK_TYPE,
} from '../../resources/versions';
import { findNode } from '../nodes/identity';
import { PORT_RESOURCE } from './resource';
import { checkPort, checkPortRules, macArgument, type PortValues } from './schema';

export interface PortsDependencies {
  ports: PortStore;
  nodes: NodeStore;
  publicEndpoint: string | undefined;
}

/** The node a list is limited to: the parent path's node, else `node_uuid`, else `node`. */
async function nodeFilter(
  req: Request,
  nodes: NodeStore,
  parent: string | undefined,
): Promise<NodeRow | undefined> {
  if (parent !== undefined) return findNode(req, nodes, parent);
  const nodeUuid = singleQueryParam(req, 'node_uuid');
  if (nodeUuid !== undefined) {
    const node = await nodes.getByUuid(uuidArgument('node_uuid', nodeUuid).toLowerCase());
    if (!node) throw new NodeNotFound(nodeUuid);
    return node;
  }
  const ident = singleQueryParam(req, 'node');
  if (ident === undefined) return undefined;
  if (!isUuid(ident)) {
    if (!isValidLogicalName(ident))
      throw new InvalidParameterValue(`Expected UUID or name for node: ${ident}`);
    if (req.apiVersion.minor < MINOR_5_NODE_NAME) throw new NotAcceptable();
  }
  return findNode(req, nodes, ident);
}

/** `local_link_connection.network_type` came later than the field itself. */
function touchesNetworkType(operations: readonly PatchOperation[]): boolean {
  const path = '/local_link_connection/network_type';
  return operations.some((op) =>
    op.op === 'remove' ? op.path === path || op.path.startsWith(`${path}/`) : op.path === path,
  );
}

function checkCreate(req: Request, body: unknown): PortValues {
  const minor = req.apiVersion.minor;
  const values = checkPort('port', body, PORT_RESOURCE.creatable);
  checkFieldsAllowed(PORT_RESOURCE, Object.keys(values), minor);
  if (
    minor < MINOR_64_LOCAL_LINK_CONNECTION_NETWORK_TYPE &&
    values.local_link_connection?.network_type !== undefined
  )
    throw new NotAcceptable();
  checkPortRules(values);
  return values;
}

/** The port's fields a patch applies to. */
function patchDocument(port: PortRow): Record<string, unknown> {
  return {
    address: port.address,
    extra: port.extra,
    is_smartnic: port.is_smartnic,
    local_link_connection: port.local_link_connection,
    node_uuid: port.node_uuid,
    physical_network: port.physical_network,
    portgroup_uuid: null,
    pxe_enabled: port.pxe_enabled,
  };
}

function checkPatched(_req: Request, patched: Record<string, unknown>): PortValues {
  const values = checkPort('patch', patched, PORT_RESOURCE.creatable);
  checkPortRules(values);
  return values;
}

/**
 * The port's declared handlers with its own parts: node filters, MAC addresses and local link
 * rules. Ironic sends port writes through the node's conductor; here the conductor keeps no port
 * state, so each write is one statement on the database.
 */
function portHandlers(
  deps: PortsDependencies,
): ResourceHandlers<PortRow, PortFilters, undefined, PortValues, PortValues> {
  const { ports } = deps;
  return new ResourceHandlers<PortRow, PortFilters, undefined, PortValues, PortValues>(
    PORT_RESOURCE,
    {
      store: {
        getByUuid: (uuid) => ports.getByUuid(uuid),
        list: (query) => ports.list({ ...query, sortKey: query.sortKey as PortSortKey }),
      },
      filters: async (req, _declared, parent) => {
        const filters: PortFilters = {};
        const node = await nodeFilter(req, deps.nodes, parent);
        if (node) filters.nodeId = node.id;
        const address = singleQueryParam(req, 'address');
        if (address !== undefined) filters.address = macArgument('address', address);
        if (req.listProject !== undefined) filters.project = req.listProject;
        return filters;
      },
      create: {
        check: checkCreate,
        save: async (_req, values) => {
          const nodeUuid = values.node_uuid!;
          const row = await ports.create(nodeUuid, {
            uuid: values.uuid?.toLowerCase() ?? randomUUID(),
            address: values.address!,
            extra: values.extra ?? undefined,
            local_link_connection: values.local_link_connection ?? undefined,
            pxe_enabled: values.pxe_enabled ?? undefined,
            physical_network: values.physical_network,
            is_smartnic: values.is_smartnic ?? undefined,
          });
          // Ironic answers an unknown node with NodeNotFound's text but 400: the port is the resource.
          if (!row) throw new InvalidParameterValue(`Node ${nodeUuid} could not be found.`);
          return row;
        },
      },
      patch: {
        checkOperations: (req, operations) => {
          if (
            req.apiVersion.minor < MINOR_64_LOCAL_LINK_CONNECTION_NETWORK_TYPE &&
            touchesNetworkType(operations)
          )
            throw new NotAcceptable();
        },
        document: patchDocument,
        check: checkPatched,
        save: async (_req, port, values) => {
          const wanted: Required<PortFields> = {
            address: values.address!,
            extra: values.extra ?? {},
            local_link_connection: values.local_link_connection ?? {},
            pxe_enabled: values.pxe_enabled ?? true,
            physical_network: values.physical_network ?? null,
            is_smartnic: values.is_smartnic ?? false,
          };
          const changes: PortFields = {};
          for (const field of Object.keys(wanted) as (keyof PortFields)[]) {
            if (JSON.stringify(wanted[field]) !== JSON.stringify(port[field]))
              (changes as Record<string, unknown>)[field] = wanted[field];
          }
          const wantedNode = values.node_uuid!.toLowerCase();
          const nodeUuid = wantedNode !== port.node_uuid ? wantedNode : undefined;
          if (Object.keys(changes).length === 0 && nodeUuid === undefined) return port;
          const row = await ports.update(port.id, changes, nodeUuid);
          if (row) return row;
          if (nodeUuid !== undefined && (await ports.getByUuid(port.uuid)))
            throw new InvalidParameterValue(`Node ${nodeUuid} could not be found.`);
          throw new PortNotFound(port.uuid);
        },
      },
      remove: async (_req, uuid, ident) => {
        if (!(await ports.delete(uuid))) throw new PortNotFound(ident);
      },
    },
    { publicEndpoint: deps.publicEndpoint },
  );
}

/** Ironic's `/v1/ports`. */
export function portsRouter(deps: PortsDependencies): Router {
  return portHandlers(deps).router();
}

/** Ironic's `/v1/nodes/{node}/ports`: the node's ports, read-only; mounted with `:ident`. */
export function nodePortsRouter(deps: PortsDependencies): Router {
  const handlers = portHandlers(deps);
  const router = Router({ mergeParams: true });
  const parent = (req: Request) => String(req.params.ident);
  const collection = (req: Request) => `nodes/${parent(req)}/ports`;
  router
    .route('/')
    .get(handlers.list(false, collection, parent))
    .all(methodNotAllowed(['GET']));
  router
    .route('/detail')
    .get(handlers.list(true, collection, parent))
    .all(methodNotAllowed(['GET']));
  return router;
}
