import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type {
  NodeRow,
  NodeStore,
  PortgroupFields,
  PortgroupFilters,
  PortgroupRow,
  PortgroupStore,
} from '@galvanic/db';
import {
  BadRequest,
  Invalid,
  InvalidParameterValue,
  InvalidState,
  NotAcceptable,
  PortgroupNotEmpty,
  PortgroupNotFound,
} from '@galvanic/errors';
import { singleQueryParam } from '../../http/collection';
import { notFoundBefore } from '../../http/errors';
import type { PatchOperation } from '../../http/json-patch';
import { findByUuidOrName } from '../../resources/identity';
import { checkFieldsAllowed } from '../../resources/query';
import { ResourceHandlers } from '../../resources/router';
import { booleanArgument, isValidLogicalName, uuidArgument } from '../../resources/rules';
import { checkSchema } from '../../resources/schema';
import {
  MINOR_23_PORTGROUPS,
  MINOR_24_PORTGROUPS_SUBRESOURCES,
  MINOR_26_PORTGROUP_MODE_PROPERTIES,
} from '../../resources/versions';
import { findNode } from '../nodes/identity';
import { macArgument } from '../ports/schema';
import { conductorGroupsFilter, portgroupShardFilter } from './filters';
import { PORTGROUP_RESOURCE } from './resource';

/** Ironic's `[DEFAULT] default_portgroup_mode`. */
const DEFAULT_MODE = 'active-backup';

/** States in which a port group may move to another node (else only in maintenance). */
const NODE_CHANGE_STATES = ['enroll', 'inspecting', 'inspect wait', 'manageable'];

export interface PortgroupsDependencies {
  portgroups: PortgroupStore;
  nodes: NodeStore;
  publicEndpoint: string | undefined;
}

/** A port group's fields as its schema and validators checked them. */
export interface PortgroupValues {
  uuid?: string | null;
  address?: string | null;
  name?: string | null;
  node_uuid?: string;
  standalone_ports_supported?: boolean | null;
  extra?: Record<string, unknown> | null;
  mode?: string | null;
  properties?: Record<string, unknown> | null;
  physical_network?: string | null;
  category?: string | null;
}

/** Ironic's port group schema, then its MAC, UUID and boolean validators. */
function checkPortgroup(name: string, body: unknown): PortgroupValues {
  const fields = checkSchema(PORTGROUP_RESOURCE, name, body, PORTGROUP_RESOURCE.creatable);
  const values = { ...fields } as PortgroupValues;
  if (typeof fields.address === 'string') values.address = macArgument('address', fields.address);
  values.node_uuid = uuidArgument('node_uuid', fields.node_uuid as string);
  if (typeof fields.uuid === 'string') values.uuid = uuidArgument('uuid', fields.uuid);
  const standalone = fields.standalone_ports_supported as string | boolean | null | undefined;
  if (standalone !== undefined && standalone !== null)
    values.standalone_ports_supported = booleanArgument('standalone_ports_supported', standalone);
  return values;
}

/** The columns a checked port group stores (`mode` falls back to the configured default). */
function storedFields(values: PortgroupValues): Required<PortgroupFields> {
  return {
    name: values.name ?? null,
    address: values.address ?? null,
    extra: values.extra ?? {},
    standalone_ports_supported: values.standalone_ports_supported ?? true,
    mode: values.mode ?? DEFAULT_MODE,
    properties: values.properties ?? {},
    physical_network: values.physical_network ?? null,
    category: values.category ?? null,
  };
}

/** Whether a patch replaces, adds or removes `path` or anything under it. */
function touches(operations: readonly PatchOperation[], path: string): boolean {
  return operations.some((op) => op.path === path || op.path.startsWith(`${path}/`));
}

function checkCreate(req: Request, body: unknown): PortgroupValues {
  const values = checkPortgroup('portgroup', body);
  const minor = req.apiVersion.minor;
  checkFieldsAllowed(PORTGROUP_RESOURCE, Object.keys(values), minor);
  // Ironic lets an empty mode or properties through before 1.26.
  if (minor < MINOR_26_PORTGROUP_MODE_PROPERTIES && (values.mode || values.properties))
    throw new NotAcceptable();
  if (values.name && !isValidLogicalName(values.name))
    throw new BadRequest(`Cannot create portgroup with invalid name '${values.name}'`);
  return values;
}

/** The node a port group list is limited to, and Ironic's rule of one filter at a time. */
async function listFilters(
  req: Request,
  nodes: NodeStore,
  parent: string | undefined,
): Promise<PortgroupFilters> {
  const nodeIdent = parent ?? singleQueryParam(req, 'node');
  const address = singleQueryParam(req, 'address');
  const shards = portgroupShardFilter(req);
  const groups = conductorGroupsFilter(req);
  const given = [nodeIdent, address, shards, groups].filter((f) => f !== undefined && f !== '');
  if (given.length > 1)
    throw new Invalid('Filtering by node, address, or shard simultaneously is not supported.');
  const filters: PortgroupFilters = {};
  if (nodeIdent) filters.nodeId = (await findNode(req, nodes, nodeIdent)).id;
  if (address) filters.address = macArgument('address', address);
  if (shards) filters.shards = shards;
  if (groups) filters.conductorGroups = groups;
  if (req.listProject !== undefined) filters.project = req.listProject;
  return filters;
}

/** The node a create or patch names by UUID; unknown is NodeNotFound's text with a 400. */
async function namedNode(nodes: NodeStore, uuid: string): Promise<NodeRow> {
  const node = await nodes.getByUuid(uuid.toLowerCase());
  if (!node) throw new InvalidParameterValue(`Node ${uuid} could not be found.`);
  return node;
}

/** Ironic's conditions for moving a port group to another node. */
async function checkNodeChange(
  portgroups: PortgroupStore,
  portgroup: PortgroupRow,
  node: NodeRow,
): Promise<void> {
  if (!NODE_CHANGE_STATES.includes(node.provision_state) && !node.maintenance) {
    throw new InvalidState(
      `Portgroup ${portgroup.uuid} can not be associated to node ${node.uuid} unless the node ` +
        `is in a ${NODE_CHANGE_STATES.join(', ')} state or in maintenance mode. ` +
        `Current state is '${node.provision_state}'.`,
    );
  }
  if (await portgroups.hasPorts(portgroup.id)) {
    throw new PortgroupNotEmpty(
      portgroup.uuid,
      `Portgroup ${portgroup.uuid} can not be associated with node ${node.uuid} because there ` +
        'are ports associated with this portgroup.',
    );
  }
}

/** Deletes the port group named by UUID or name, unless ports still belong to it. */
async function deletePortgroup(portgroups: PortgroupStore, ident: string): Promise<void> {
  const row = await findByUuidOrName(portgroups, ident, (i) => new PortgroupNotFound(i));
  const outcome = await portgroups.delete(row.uuid);
  if (outcome === 'not-found') throw new PortgroupNotFound(ident);
  if (outcome === 'not-empty') throw new PortgroupNotEmpty(ident);
}

/** The declared port group handlers with their storage and Ironic's rules. */
function portgroupHandlers(
  deps: PortgroupsDependencies,
): ResourceHandlers<PortgroupRow, PortgroupFilters, undefined, PortgroupValues, PortgroupValues> {
  const { portgroups, nodes } = deps;
  return new ResourceHandlers<
    PortgroupRow,
    PortgroupFilters,
    undefined,
    PortgroupValues,
    PortgroupValues
  >(
    PORTGROUP_RESOURCE,
    {
      store: { getByUuid: (uuid) => portgroups.getByUuid(uuid), list: (q) => portgroups.list(q) },
      find: (_req, ident) => findByUuidOrName(portgroups, ident, (i) => new PortgroupNotFound(i)),
      filters: (req, _declared, parent) => listFilters(req, nodes, parent),
      create: {
        check: checkCreate,
        save: async (_req, values) => {
          const node = await namedNode(nodes, values.node_uuid!);
          const row = await portgroups.create(node.id, {
            ...storedFields(values),
            uuid: values.uuid?.toLowerCase() ?? randomUUID(),
          });
          if (!row) throw new InvalidParameterValue(`Node ${values.node_uuid} could not be found.`);
          return row;
        },
      },
      patch: {
        checkOperations: (req, operations) => {
          if (
            req.apiVersion.minor < MINOR_26_PORTGROUP_MODE_PROPERTIES &&
            (touches(operations, '/mode') || touches(operations, '/properties'))
          )
            throw new NotAcceptable();
          for (const op of operations) {
            if (op.path !== '/name' || op.op === 'remove') continue;
            const name = op.value;
            if (typeof name === 'string' && name && !isValidLogicalName(name)) {
              throw new BadRequest(
                `Portgroup ${String(req.params.ident)}: Cannot change name to invalid name '${name}'`,
              );
            }
          }
          if (operations.some((op) => op.op === 'remove' && op.path === '/mode'))
            throw new BadRequest("'mode' is a mandatory attribute and can not be removed");
        },
        document: (row) => ({
          address: row.address,
          name: row.name,
          node_uuid: row.node_uuid,
          standalone_ports_supported: row.standalone_ports_supported,
          extra: row.extra,
          mode: row.mode,
          properties: row.properties,
          physical_network: row.physical_network,
          category: row.category,
        }),
        check: (_req, patched) => checkPortgroup('patch', patched),
        save: async (_req, row, values) => {
          const wanted = storedFields(values);
          const changes: PortgroupFields = {};
          for (const field of Object.keys(wanted) as (keyof PortgroupFields)[]) {
            if (JSON.stringify(wanted[field]) !== JSON.stringify(row[field]))
              (changes as Record<string, unknown>)[field] = wanted[field];
          }
          let nodeId: number | undefined;
          if (values.node_uuid!.toLowerCase() !== row.node_uuid) {
            const node = await namedNode(nodes, values.node_uuid!);
            await checkNodeChange(portgroups, row, node);
            nodeId = node.id;
          }
          if (Object.keys(changes).length === 0 && nodeId === undefined) return row;
          const updated = await portgroups.update(row.id, changes, nodeId);
          if (!updated) throw new PortgroupNotFound(row.uuid);
          return updated;
        },
      },
      remove: (_req, _uuid, ident) => deletePortgroup(portgroups, ident),
    },
    { publicEndpoint: deps.publicEndpoint },
  );
}

/**
 * Ironic's `/v1/portgroups` (from 1.23), its `/{portgroup}/ports` (from 1.24; `ports` is the
 * sub-collection router for it), and deletion by UUID or name.
 */
export function portgroupsRouter(deps: PortgroupsDependencies, ports: Router): Router {
  const router = Router();
  router.use(notFoundBefore(MINOR_23_PORTGROUPS));
  router.use('/:ident/ports', notFoundBefore(MINOR_24_PORTGROUPS_SUBRESOURCES), ports);
  const handlers = portgroupHandlers(deps);
  // Ironic deletes a port group named by UUID or name; the generic delete takes UUIDs only.
  router.delete('/:ident', async (req, res, next) => {
    const ident = String(req.params.ident);
    if (ident === 'detail') return next();
    await deletePortgroup(deps.portgroups, ident);
    res.status(204).end();
  });
  router.use(handlers.router());
  return router;
}

/** Ironic's `/v1/nodes/{node}/portgroups` (from 1.24): read-only; mounted with `:ident`. */
export function nodePortgroupsRouter(deps: PortgroupsDependencies): Router {
  const router = Router({ mergeParams: true });
  router.use(notFoundBefore(MINOR_24_PORTGROUPS_SUBRESOURCES));
  const parent = (req: Request) => String(req.params.ident);
  router.use(
    portgroupHandlers(deps).subCollectionRouter((req) => `nodes/${parent(req)}/portgroups`, parent),
  );
  return router;
}
