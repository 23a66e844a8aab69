import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type {
  NodeRow,
  NodeStore,
  PortFields,
  PortFilters,
  PortgroupRow,
  PortgroupStore,
  PortRow,
  PortSortKey,
  PortStore,
} from '@galvanic/db';
import {
  BadRequest,
  Conflict,
  Invalid,
  InvalidParameterValue,
  InvalidState,
  NodeNotFound,
  NotAcceptable,
  OperationNotPermitted,
  PortgroupNotFound,
  PortNotFound,
} from '@galvanic/errors';
import { singleQueryParam } from '../../http/collection';
import type { PatchOperation } from '../../http/json-patch';
import { findByUuidOrName } from '../../resources/identity';
import { checkFieldsAllowed } from '../../resources/query';
import { ResourceHandlers } from '../../resources/router';
import { isUuid, isValidLogicalName, pythonRepr, uuidArgument } from '../../resources/rules';
import {
  MINOR_5_NODE_NAME,
  MINOR_24_PORTGROUPS_SUBRESOURCES,
  MINOR_64_LOCAL_LINK_CONNECTION_NETWORK_TYPE,
  MINOR_88_PORT_NAME,
  MINOR_90_OVN_VTEP,
  MINOR_94_PORT_NODENAME,
  MINOR_102_PORTGROUP_PHYSICAL_NETWORK,
  MINOR_105_REMOVE_OVN_VTEP,
} from '../../resources/versions';
import { findNode } from '../nodes/identity';
import { conductorGroupsFilter } from '../portgroups/filters';
import { PORT_RESOURCE } from './resource';
import { checkPort, checkPortRules, macArgument, OVN_VTEP_KEYS, type PortValues } from './schema';

export interface PortsDependencies {
  ports: PortStore;
  portgroups: PortgroupStore;
  nodes: NodeStore;
  publicEndpoint: string | undefined;
}

/** Where a port list comes from: a node's or a port group's sub-collection, or neither. */
export type PortParent = { node: string } | { portgroup: string };

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

/** The port group a list is limited to: the parent path's, else `?portgroup=` (from 1.24). */
async function portgroupFilter(
  req: Request,
  portgroups: PortgroupStore,
  parent: string | undefined,
): Promise<PortgroupRow | undefined> {
  const ident = parent ?? singleQueryParam(req, 'portgroup');
  if (ident === undefined) return undefined;
  if (req.apiVersion.minor < MINOR_24_PORTGROUPS_SUBRESOURCES) throw new NotAcceptable();
  return findByUuidOrName(portgroups, ident, (i) => new PortgroupNotFound(i));
}

/** Whether a patch touches `path` or anything under it. */
function touches(operations: readonly PatchOperation[], path: string): boolean {
  return operations.some((op) => op.path === path || op.path.startsWith(`${path}/`));
}

/** The port group a port names, on the port's node, as Ironic finds it (400 when it is not). */
async function portgroupOf(
  portgroups: PortgroupStore,
  uuid: string,
  nodeUuid: string,
): Promise<PortgroupRow> {
  const portgroup = await portgroups.getByUuid(uuid.toLowerCase());
  if (!portgroup) throw new InvalidParameterValue(`Portgroup ${uuid} could not be found.`);
  if (portgroup.node_uuid !== nodeUuid.toLowerCase())
    throw new BadRequest('Port can not be added to a portgroup belonging to a different node.');
  return portgroup;
}

/** Ironic's refusal of a PXE-enabled member of a port group without standalone ports. */
function checkStandalone(portgroup: PortgroupRow | undefined, values: PortValues): void {
  if (portgroup && values.pxe_enabled !== false && !portgroup.standalone_ports_supported) {
    throw new Conflict(
      `Port group ${portgroup.uuid} doesn't support standalone ports. This port cannot be ` +
        "created as a member of that portgroup as the port's 'pxe_enabled' field was set to True.",
    );
  }
}

/**
 * 1.94's `node_ident` (a node's name or UUID) in place of `node_uuid`: resolved to the node's
 * UUID; exactly one of the two, as Ironic's schema's `oneOf` wants.
 */
async function resolveNodeIdent(req: Request, nodes: NodeStore, body: unknown): Promise<unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const fields = body as Record<string, unknown>;
  if (!Object.hasOwn(fields, 'node_ident')) return body;
  if (req.apiVersion.minor < MINOR_94_PORT_NODENAME) throw new NotAcceptable();
  if (Object.hasOwn(fields, 'node_uuid')) {
    throw new InvalidParameterValue(
      `Schema error for port: ${pythonRepr(fields)} is valid under each of ` +
        "{'required': ['node_uuid']}, {'required': ['node_ident']}",
    );
  }
  const { node_ident: ident, ...rest } = fields;
  if (typeof ident !== 'string')
    throw new InvalidParameterValue(
      `Schema error for port: ${pythonRepr(ident)} is not of type 'string'`,
    );
  let node: NodeRow | undefined;
  try {
    node = await findNode(req, nodes, ident);
  } catch (error) {
    if (!(error instanceof NodeNotFound)) throw error;
  }
  // Ironic answers an unknown node with NodeNotFound's text but 400: the port is the resource.
  if (!node) throw new InvalidParameterValue(`Node ${ident} could not be found.`);
  return { ...rest, node_uuid: node.uuid };
}

function checkCreate(req: Request, body: unknown): PortValues {
  const minor = req.apiVersion.minor;
  const values = checkPort('port', body, PORT_RESOURCE.creatable);
  checkFieldsAllowed(PORT_RESOURCE, Object.keys(values), minor);
  const link = values.local_link_connection;
  if (minor < MINOR_64_LOCAL_LINK_CONNECTION_NETWORK_TYPE && link?.network_type !== undefined)
    throw new NotAcceptable();
  if (minor < MINOR_90_OVN_VTEP && link && Object.hasOwn(link, OVN_VTEP_KEYS[0]!))
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
    portgroup_uuid: port.portgroup_uuid,
    pxe_enabled: port.pxe_enabled,
    name: port.name,
    description: port.description,
    vendor: port.vendor,
    category: port.category,
    available_for_dynamic_portgroup: port.available_for_dynamic_portgroup,
  };
}

function checkPatched(_req: Request, patched: Record<string, unknown>): PortValues {
  const values = checkPort('patch', patched, PORT_RESOURCE.creatable);
  checkPortRules(values);
  return values;
}

/** The fields that change how a port is wired, which Ironic changes only on an idle node. */
const CONNECTIVITY_FIELDS = [
  'portgroup_id',
  'pxe_enabled',
  'local_link_connection',
  'physical_network',
] as const;
/** Where a port's wiring may change (else only in maintenance). */
const WIRING_STATES = ['enroll', 'inspecting', 'inspect wait', 'manageable'];

/** Ironic's rules (its conductor's) for changing a port in its node's current state. */
function checkNodeAllows(port: PortRow, node: NodeRow, changes: PortFields): void {
  if (node.maintenance) return;
  if (changes.address !== undefined && (node.provision_state === 'active' || node.instance_uuid)) {
    throw new InvalidState(
      `Cannot update hardware address for port ${port.uuid} as node ${node.uuid} is active or ` +
        'has instance UUID assigned',
    );
  }
  if (
    CONNECTIVITY_FIELDS.some((field) => changes[field] !== undefined) &&
    !WIRING_STATES.includes(node.provision_state)
  ) {
    throw new InvalidState(
      `Port ${port.uuid} can not have any connectivity attributes ` +
        `(${CONNECTIVITY_FIELDS.join(', ')}) updated unless node ${node.uuid} is in a ` +
        `${WIRING_STATES.join(', ')} state or in maintenance mode. ` +
        `The current state is ${node.provision_state}.`,
    );
  }
}

/**
 * A port's local link as a microversion shows it: the OVN VTEP keys exist only from 1.90 to
 * 1.104, and a link that has them shows empty outside that range, as Ironic hides it.
 */
function shownLocalLink(port: PortRow, minor: number): Record<string, unknown> {
  const link = port.local_link_connection;
  const vtepShown = minor >= MINOR_90_OVN_VTEP && minor < MINOR_105_REMOVE_OVN_VTEP;
  if (!vtepShown && OVN_VTEP_KEYS.some((key) => Object.hasOwn(link, key))) return {};
  return link;
}

/** The columns a checked port document stores. */
function storedFields(values: PortValues): Required<Omit<PortFields, 'portgroup_id'>> {
  return {
    address: values.address!,
    extra: values.extra ?? {},
    local_link_connection: values.local_link_connection ?? {},
    pxe_enabled: values.pxe_enabled ?? true,
    physical_network: values.physical_network ?? null,
    is_smartnic: values.is_smartnic ?? false,
    name: values.name ?? null,
    description: values.description ?? null,
    vendor: values.vendor ?? null,
    category: values.category ?? null,
    available_for_dynamic_portgroup: values.available_for_dynamic_portgroup ?? true,
  };
}

/**
 * The port's declared handlers with its own parts: node and port group filters, MAC addresses,
 * port group membership and local link rules. Ironic sends port writes through the node's
 * conductor; here the conductor keeps no port state, so each write is one statement on the
 * database. `parent` says which path parameter a sub-collection is under.
 */
export function portHandlers(
  deps: PortsDependencies,
): ResourceHandlers<PortRow, PortFilters, number, PortValues, PortValues> {
  const { ports, portgroups } = deps;
  return new ResourceHandlers<PortRow, PortFilters, number, PortValues, PortValues>(
    PORT_RESOURCE,
    {
      store: {
        getByUuid: (uuid) => ports.getByUuid(uuid),
        list: (query) => ports.list({ ...query, sortKey: query.sortKey as PortSortKey }),
      },
      // Names identify ports from 1.88, when ports got them.
      find: async (req, ident) => {
        if (req.apiVersion.minor >= MINOR_88_PORT_NAME)
          return findByUuidOrName(ports, ident, (i) => new PortNotFound(i));
        const port = await ports.getByUuid(uuidArgument('port_uuid', ident).toLowerCase());
        if (!port) throw new PortNotFound(ident);
        return port;
      },
      filters: async (req, _declared, parent) => {
        const filters: PortFilters = {};
        const [kind, ident] = parent === undefined ? [] : parent.split(':', 2);
        const node = await nodeFilter(req, deps.nodes, kind === 'node' ? ident : undefined);
        const portgroup = await portgroupFilter(
          req,
          portgroups,
          kind === 'portgroup' ? ident : undefined,
        );
        if (node && portgroup) throw new OperationNotPermitted();
        if (node) filters.nodeId = node.id;
        if (portgroup) filters.portgroupId = portgroup.id;
        const address = singleQueryParam(req, 'address');
        if (address !== undefined) filters.address = macArgument('address', address);
        const groups = conductorGroupsFilter(req);
        if (groups !== undefined) {
          if (node || portgroup || address !== undefined) {
            throw new Invalid(
              'Filtering by conductor_groups cannot be combined with node_ident, ' +
                'portgroup_ident, or node address filters.',
            );
          }
          filters.conductorGroups = groups;
        }
        if (req.listProject !== undefined) filters.project = req.listProject;
        return filters;
      },
      context: (req) => Promise.resolve(req.apiVersion.minor),
      computed: (port, field, minor) =>
        field === 'local_link_connection' ? shownLocalLink(port, minor) : null,
      create: {
        check: checkCreate,
        save: async (_req, values) => {
          const nodeUuid = values.node_uuid!;
          const portgroup = values.portgroup_uuid
            ? await portgroupOf(portgroups, values.portgroup_uuid, nodeUuid)
            : undefined;
          checkStandalone(portgroup, values);
          const row = await ports.create(nodeUuid, {
            ...storedFields(values),
            uuid: values.uuid?.toLowerCase() ?? randomUUID(),
            portgroup_id: portgroup?.id ?? null,
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
            touches(operations, '/local_link_connection/network_type')
          )
            throw new NotAcceptable();
        },
        document: patchDocument,
        check: checkPatched,
        save: async (req, port, values) => {
          const wanted: PortFields = storedFields(values);
          const changes: PortFields = {};
          for (const field of Object.keys(wanted) as (keyof PortFields)[]) {
            if (JSON.stringify(wanted[field]) !== JSON.stringify(port[field]))
              (changes as Record<string, unknown>)[field] = wanted[field];
          }
          const wantedNode = values.node_uuid!.toLowerCase();
          const wantedGroup = values.portgroup_uuid?.toLowerCase() ?? null;
          if (wantedGroup !== port.portgroup_uuid) {
            changes.portgroup_id = wantedGroup
              ? (await portgroupOf(portgroups, wantedGroup, wantedNode)).id
              : null;
          }
          if (
            req.apiVersion.minor >= MINOR_102_PORTGROUP_PHYSICAL_NETWORK &&
            changes.physical_network !== undefined &&
            wantedGroup !== null
          )
            throw new Invalid(
              'physical_network cannot be changed while the port belongs to a portgroup.',
            );
          if (wantedGroup !== null && changes.pxe_enabled === true) {
            checkStandalone(await portgroups.getByUuid(wantedGroup), values);
          }
          const nodeUuid = wantedNode !== port.node_uuid ? wantedNode : undefined;
          if (Object.keys(changes).length === 0 && nodeUuid === undefined) return port;
          const node = await deps.nodes.getByUuid(port.node_uuid);
          if (node) checkNodeAllows(port, node, changes);
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

/** Ironic's `/v1/ports`; a create body may name its node by `node_ident` from 1.94. */
export function portsRouter(deps: PortsDependencies): Router {
  const router = Router();
  router.post('/', async (req, _res, next) => {
    req.body = await resolveNodeIdent(req, deps.nodes, req.body);
    next();
  });
  router.use(portHandlers(deps).router());
  return router;
}

/**
 * A read-only sub-collection of ports (`/v1/nodes/{node}/ports`, `/v1/portgroups/{pg}/ports`),
 * mounted with `:ident`; `kind` says which parent the path names.
 */
export function subPortsRouter(deps: PortsDependencies, kind: 'node' | 'portgroup'): Router {
  const ident = (req: Request) => String(req.params.ident);
  return portHandlers(deps).subCollectionRouter(
    (req) => `${kind}s/${ident(req)}/ports`,
    (req) => `${kind}:${ident(req)}`,
  );
}
