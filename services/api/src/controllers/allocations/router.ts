import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { ConductorDirectory } from '@galvanic/cluster';
import {
  backfillAllocationMethod,
  createAllocationMethod,
  destroyAllocationMethod,
} from '@galvanic/conductor-api';
import type {
  AllocationFilters,
  AllocationRow,
  AllocationStore,
  NodeRow,
  NodeStore,
} from '@galvanic/db';
import {
  AllocationNotFound,
  errorFromWire,
  GalvanicError,
  Invalid,
  InvalidParameterValue,
  NodeNotFound,
  NotAcceptable,
  NotFound,
} from '@galvanic/errors';
import type { RpcClient } from '@galvanic/rpc';
import { singleQueryParam } from '../../http/collection';
import { methodNotAllowed } from '../../http/errors';
import { baseUrl } from '../../http/links';
import { checkFieldsAllowed, showFields } from '../../resources/query';
import { renderResource } from '../../resources/render';
import { findByUuidOrName } from '../../resources/identity';
import { ResourceHandlers } from '../../resources/router';
import { methodNotAllowedError, requireMicroversion } from '../../resources/version-gate';
import { isUuid, isValidLogicalName, pythonRepr } from '../../resources/rules';
import { checkSchema } from '../../resources/schema';
import { isValidTrait } from '../../resources/traits';
import {
  MINOR_52_ALLOCATION,
  MINOR_58_ALLOCATION_BACKFILL,
  MINOR_60_ALLOCATION_OWNER,
} from '../../resources/versions';
import { findNode } from '../nodes/identity';
import type { NodeOwners } from '../nodes/owner';
import { authorizeOnAllocation, mayGetNode, projectAllocation } from './policy';
import { ALLOCATION_PATCH_SINCE, ALLOCATION_RESOURCE } from './resource';

export interface AllocationDependencies {
  allocations: AllocationStore;
  nodes: NodeStore;
  owners: NodeOwners;
  directory: ConductorDirectory;
  rpc: RpcClient;
  publicEndpoint: string | undefined;
}

/** A create body as its schema checked it. */
interface AllocationCreate {
  uuid?: string | null;
  name?: string | null;
  node?: string | null;
  resource_class?: string | null;
  candidate_nodes?: string[] | null;
  traits?: string[] | null;
  extra?: Record<string, unknown> | null;
  owner?: string | null;
}

interface AllocationPatch {
  name?: string | null;
  extra?: Record<string, unknown> | null;
}

/** What rendering allocations needs: their nodes' UUIDs. */
type AllocationContext = ReadonlyMap<number, string>;

const VERSION_REFUSAL = 'The API version does not allow allocations';

/** Ironic's 400 flavour of NodeNotFound, for nodes named in a request body. */
function nodeNotFoundInBody(message: string): GalvanicError {
  return errorFromWire({ kind: 'NodeNotFound', status: 400, message });
}

function schemaError(message: string): InvalidParameterValue {
  return new InvalidParameterValue(`Schema error for allocation: ${message}`);
}

/** The members of a create body beyond the declared fields' types: `node` and list items. */
function checkCreateBody(req: Request, body: unknown): AllocationCreate {
  const allowed = [...ALLOCATION_RESOURCE.creatable, 'node'];
  const values = checkSchema(ALLOCATION_RESOURCE, 'allocation', body, allowed) as AllocationCreate;
  if (values.node !== undefined && values.node !== null && typeof values.node !== 'string')
    throw schemaError(`${pythonRepr(values.node)} is not of type 'string', 'null'`);
  for (const item of values.candidate_nodes ?? []) {
    if (typeof item !== 'string') throw schemaError(`${pythonRepr(item)} is not of type 'string'`);
  }
  for (const trait of values.traits ?? []) {
    if (!isValidTrait(trait))
      throw schemaError(`${pythonRepr(trait)} is not valid under any of the given schemas`);
  }
  checkFieldsAllowed(ALLOCATION_RESOURCE, Object.keys(values), req.apiVersion.minor);
  return values;
}

/**
 * Ironic's `/v1/allocations` (1.52) and `/v1/nodes/{node}/allocation`: the api checks and stores
 * a new allocation in `allocating`, and a conductor reserves a node for it in the background; a
 * backfill (1.58, `node`) is done at once by the node's conductor.
 */
export class AllocationApi {
  readonly handlers: ResourceHandlers<
    AllocationRow,
    AllocationFilters,
    AllocationContext,
    AllocationCreate,
    AllocationPatch
  >;

  constructor(private readonly deps: AllocationDependencies) {
    const { allocations } = deps;
    this.handlers = new ResourceHandlers(
      ALLOCATION_RESOURCE,
      {
        store: {
          getByUuid: (uuid) => allocations.getByUuid(uuid),
          list: (query) => allocations.list(query),
        },
        find: (_req, ident) => this.find(ident),
        filters: (req, declared) => this.filters(req, declared),
        context: (_req, rows) => this.nodeUuids(rows),
        computed: (row, field, nodeUuids) =>
          field === 'node_uuid' && row.node_id !== null
            ? (nodeUuids.get(row.node_id) ?? null)
            : null,
        create: { check: checkCreateBody, save: (req, values) => this.create(req, values) },
        patch: {
          check: (_req, patched) => this.checkPatched(patched),
          save: async (_req, row, values) => {
            const updated = await allocations.update(row.id, {
              name: values.name ?? null,
              extra: values.extra ?? {},
            });
            if (!updated) throw new AllocationNotFound(row.uuid);
            return updated;
          },
        },
      },
      { publicEndpoint: deps.publicEndpoint },
    );
  }

  /** An allocation by UUID or name, as Ironic's `get_rpc_allocation_with_suffix`. */
  find(ident: string): Promise<AllocationRow> {
    return findByUuidOrName(
      this.deps.allocations,
      ident,
      (missing) => new AllocationNotFound(missing),
    );
  }

  private async filters(
    req: Request,
    declared: Readonly<Record<string, string | boolean>>,
  ): Promise<AllocationFilters> {
    const filters: AllocationFilters = {};
    if (typeof declared.resource_class === 'string')
      filters.resource_class = declared.resource_class;
    if (typeof declared.state === 'string') filters.state = declared.state;
    const owner = singleQueryParam(req, 'owner');
    if (owner !== undefined) {
      if (req.apiVersion.minor < MINOR_60_ALLOCATION_OWNER) throw new NotAcceptable();
      filters.owner = owner;
    }
    // Policy let a project list only its own allocations.
    if (req.listProject !== undefined) filters.owner = req.listProject;
    const node = singleQueryParam(req, 'node');
    if (node !== undefined) {
      let found: NodeRow;
      try {
        found = await findNode(req, this.deps.nodes, node);
      } catch (error) {
        if (error instanceof GalvanicError && error.kind === 'NodeNotFound')
          throw nodeNotFoundInBody(error.message);
        throw error;
      }
      // Ironic's generic 404 for a node the caller may not see.
      if (!mayGetNode(req, found)) throw new NotFound();
      filters.node_id = found.id;
    }
    return filters;
  }

  private async nodeUuids(rows: readonly AllocationRow[]): Promise<AllocationContext> {
    const ids = rows.flatMap((row) => (row.node_id === null ? [] : [row.node_id]));
    if (ids.length === 0) return new Map();
    const found = await Promise.all(ids.map((id) => this.deps.nodes.getById(id)));
    return new Map(found.flatMap((node) => (node ? [[node.id, node.uuid] as const] : [])));
  }

  private checkPatched(patched: Record<string, unknown>): AllocationPatch {
    const values = checkSchema(
      ALLOCATION_RESOURCE,
      'allocation',
      patched,
      Object.keys(patched),
    ) as AllocationPatch;
    if (typeof values.name === 'string' && !isValidLogicalName(values.name))
      throw new Invalid(`Cannot update allocation with invalid name '${values.name}'`);
    return values;
  }

  /**
   * Candidate node UUIDs or names as UUIDs, in the order given (Ironic's `check_node_list`);
   * with `project`, only nodes that project owns or leases are found.
   */
  private async resolveCandidates(
    idents: readonly string[],
    project: string | undefined,
  ): Promise<string[]> {
    const missing: string[] = [];
    const uuids = new Map<string, string>();
    for (const ident of new Set(idents)) {
      let node: NodeRow | undefined;
      if (isUuid(ident)) node = await this.deps.nodes.getByUuid(ident.toLowerCase());
      else if (isValidLogicalName(ident)) node = await this.deps.nodes.getByName(ident);
      if (node && project !== undefined && node.owner !== project && node.lessee !== project)
        node = undefined;
      if (node) uuids.set(ident, node.uuid);
      else missing.push(ident);
    }
    if (missing.length > 0)
      throw nodeNotFoundInBody(`Nodes cannot be found: ${missing.join(', ')}`);
    return [...new Set(idents.map((ident) => uuids.get(ident)!))];
  }

  private async create(req: Request, values: AllocationCreate): Promise<AllocationRow> {
    const { allocations, directory, rpc, owners } = this.deps;
    if (values.name && !isValidLogicalName(values.name))
      throw new Invalid(`Cannot create allocation with invalid name '${values.name}'`);
    const { owner, candidateProject } = projectAllocation(req, values.owner);
    let node: NodeRow | undefined;
    if (values.node) {
      if (req.apiVersion.minor < MINOR_58_ALLOCATION_BACKFILL)
        throw new Invalid('Cannot set node when creating an allocation in this API version');
      try {
        node = await findNode(req, this.deps.nodes, values.node);
        if (!mayGetNode(req, node)) throw new NodeNotFound(values.node);
      } catch (error) {
        if (error instanceof GalvanicError && error.kind === 'NodeNotFound')
          throw nodeNotFoundInBody(error.message);
        throw error;
      }
    }
    const resourceClass = values.resource_class || node?.resource_class || null;
    if (!values.resource_class && !node)
      throw new Invalid('The resource_class field is mandatory when not backfilling');
    const candidates = values.candidate_nodes?.length
      ? await this.resolveCandidates(values.candidate_nodes, candidateProject)
      : [];
    // The conductor that will process it is recorded with it, so that a live one takes it over
    // should that one die first.
    const host = node ? owners.conductorOf(node) : await directory.pick((d) => d.anyHost());
    const row = await allocations.create(
      {
        uuid: values.uuid?.toLowerCase() ?? node?.instance_uuid ?? randomUUID(),
        name: values.name ?? null,
        owner: owner ?? null,
        resource_class: resourceClass,
        traits: values.traits ?? [],
        candidate_nodes: candidates,
        extra: values.extra ?? {},
      },
      host,
    );
    if (node) {
      // A failed backfill is answered, and the allocation stays in `error` as in Ironic.
      await owners.call(req, node, backfillAllocationMethod, { allocation_id: row.id });
      return (await allocations.getById(row.id)) ?? row;
    }
    try {
      await rpc.call(
        host!,
        createAllocationMethod,
        { allocation_id: row.id },
        { requestId: req.requestId },
      );
    } catch (error) {
      // The conductor did not take it: nothing would process it.
      await allocations.deleteById(row.id);
      throw error;
    }
    // As created: the conductor works on it in the background.
    return row;
  }

  /** Deletes an allocation through a conductor, which frees its node under the node's lock. */
  async remove(req: Request, row: AllocationRow): Promise<void> {
    const host = await this.deps.directory.pick((d) => d.anyHost());
    await this.deps.rpc.call(
      host,
      destroyAllocationMethod,
      { allocation_id: row.id },
      { requestId: req.requestId },
    );
  }

  /** `GET /v1/nodes/{node}/allocation`: the node's allocation, with `fields`. */
  async showForNode(req: Request, res: Response): Promise<void> {
    const row = await this.forNode(req);
    authorizeOnAllocation(req, 'baremetal:allocation:get', row);
    const fields = showFields(ALLOCATION_RESOURCE, req);
    const nodeUuids = await this.nodeUuids([row]);
    res.json(
      renderResource(
        ALLOCATION_RESOURCE,
        row,
        fields,
        { base: baseUrl(req, this.deps.publicEndpoint), context: nodeUuids },
        (r, field, context) =>
          field === 'node_uuid' && r.node_id !== null ? (context.get(r.node_id) ?? null) : null,
      ),
    );
  }

  async forNode(req: Request): Promise<AllocationRow> {
    const ident = String(req.params.ident);
    const node = await findNode(req, this.deps.nodes, ident);
    const row = await this.deps.allocations.getByNodeId(node.id);
    if (!row) {
      throw errorFromWire({
        kind: 'AllocationNotFound',
        status: 404,
        message: `Allocation for node ${ident} was not found`,
      });
    }
    return row;
  }
}

/** `/v1/allocations`. */
export function allocationsRouter(api: AllocationApi): Router {
  const { handlers } = api;
  const patch = handlers.patch();
  const router = Router();
  router.use(requireMicroversion(MINOR_52_ALLOCATION, VERSION_REFUSAL));
  router
    .route('/')
    .get(handlers.list(false, () => 'allocations'))
    .post(handlers.create())
    .all(methodNotAllowed(['GET', 'POST']));
  router
    .route('/:ident')
    .get(handlers.show())
    .patch((req, res, next) => {
      if (req.apiVersion.minor >= ALLOCATION_PATCH_SINCE) return patch(req, res, next);
      throw methodNotAllowedError('The API version does not allow updating allocations');
    })
    .delete(async (req, res) => {
      await api.remove(req, await api.find(String(req.params.ident)));
      res.status(204).end();
    })
    .all(methodNotAllowed(['DELETE', 'GET', 'PATCH']));
  return router;
}

/** `/v1/nodes/{node}/allocation`: the node's allocation, shown or deleted. */
export function nodeAllocationRouter(api: AllocationApi): Router {
  const router = Router({ mergeParams: true });
  // Ironic answers 404 here for every method below 1.52.
  router.use((req, _res, next) => {
    if (req.apiVersion.minor < MINOR_52_ALLOCATION) next(new NotFound(VERSION_REFUSAL));
    else next();
  });
  router
    .route('/')
    .get((req, res) => api.showForNode(req, res))
    .delete(async (req, res) => {
      const row = await api.forNode(req);
      authorizeOnAllocation(req, 'baremetal:allocation:delete', row);
      await api.remove(req, row);
      res.status(204).end();
    })
    .all(methodNotAllowed(['DELETE', 'GET']));
  return router;
}
