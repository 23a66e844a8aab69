import type { Request } from 'express';
import type { AllocationRow, NodeStore } from '@galvanic/db';
import { AllocationNotFound, errorFromWire, HTTPForbidden, NotFound } from '@galvanic/errors';
import { credentialsOf, policyValues } from '../../auth/credentials';
import * as p from '../../policy/base-rules';
import type { NamedLookup } from '../../resources/identity';
import type { PolicyTargetFinder, ResourcePolicy } from '../../resources/policy';
import { hasLogicalNameCharacters, isUuid } from '../../resources/rules';
import { nodePolicyTarget, nodeTarget } from '../nodes/policy';

const GET = ['GET', 'HEAD'];
const LIST = {
  all: 'baremetal:allocation:list_all',
  own: 'baremetal:allocation:list',
  ownerFilter: 'owner',
} as const;
const VISIBLE = { finder: 'allocation', visibleBy: 'baremetal:allocation:get' } as const;

/**
 * Ironic's allocation rules: an allocation belongs to its `owner` project, which sees and
 * manages it; any member may ask for one, which then belongs to its project (see
 * `projectAllocation`), and only system members may name another owner.
 */
export const ALLOCATION_POLICY: ResourcePolicy = {
  rules: {
    'baremetal:allocation:get': p.ALLOCATION_READER,
    'baremetal:allocation:list': p.API_READER,
    'baremetal:allocation:list_all': p.SYSTEM_READER,
    'baremetal:allocation:create': p.ALLOCATION_CREATOR,
    'baremetal:allocation:create_restricted': p.SYSTEM_MEMBER,
    'baremetal:allocation:delete': p.ALLOCATION_MEMBER,
    'baremetal:allocation:update': p.ALLOCATION_MEMBER,
    // Only for deployments without scoped defaults, which Galvanic does not have; declared so an
    // operator's policy file may name it.
    'baremetal:allocation:create_pre_rbac':
      '(rule:is_member and role:baremetal_admin) or (is_admin_project:True and role:admin)',
  },
  routes: [
    { methods: GET, path: '/allocations', rules: [], list: LIST },
    {
      methods: ['POST'],
      path: '/allocations',
      rules: ['baremetal:allocation:create'],
      // Refused the general rule, a caller may still ask for one owned by its project.
      alternative: {
        rules: ['baremetal:allocation:create_restricted'],
        tried: 'after',
        apply: ownAllocation,
      },
    },
    {
      methods: GET,
      path: '/allocations/:ident',
      rules: ['baremetal:allocation:get'],
      target: VISIBLE,
    },
    {
      methods: ['PATCH'],
      path: '/allocations/:ident',
      rules: ['baremetal:allocation:update'],
      target: VISIBLE,
    },
    {
      methods: ['DELETE'],
      path: '/allocations/:ident',
      rules: ['baremetal:allocation:delete'],
      target: VISIBLE,
    },
    // The node must be visible; the allocation's own rule is checked by the handler, which
    // finds it (Ironic answers a missing one with its 404 before any allocation rule).
    {
      methods: GET,
      path: '/nodes/:ident/allocation',
      rules: [],
      target: { finder: 'allocation-node', visibleBy: 'baremetal:node:get' },
    },
    {
      methods: ['DELETE'],
      path: '/nodes/:ident/allocation',
      rules: [],
      target: { finder: 'node', visibleBy: 'baremetal:node:get' },
    },
  ],
};

function projectOf(credentials: Readonly<Record<string, unknown>>): string | null {
  return typeof credentials.project_id === 'string' ? credentials.project_id : null;
}

function createBody(req: Request): Record<string, unknown> | undefined {
  const body = req.body as unknown;
  return body && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
}

/** Allowed only its own project's allocations: naming another owner is the first refusal. */
function ownAllocation(req: Request, credentials: Readonly<Record<string, unknown>>): void {
  const project = projectOf(credentials);
  const body = createBody(req);
  if (!body) return;
  if (project && typeof body.owner === 'string' && body.owner && body.owner !== project)
    throw new HTTPForbidden('baremetal:allocation:create');
  body.owner = project;
}

/** What an allocation gives the rules. */
export function allocationTarget(row: Pick<AllocationRow, 'owner'>): Record<string, unknown> {
  return { 'allocation.owner': row.owner ?? null };
}

/** The allocation a path names (UUID or name), for policy; its 404 hides it. */
export function allocationPolicyTarget(
  allocations: NamedLookup<AllocationRow>,
): PolicyTargetFinder {
  return async (_req, params) => {
    const ident = params.ident ?? '';
    if (!isUuid(ident) && !hasLogicalNameCharacters(ident)) return undefined;
    const row = isUuid(ident)
      ? await allocations.getByUuid(ident.toLowerCase())
      : await allocations.getByName(ident);
    if (!row) return undefined;
    return { values: allocationTarget(row), notFound: new AllocationNotFound(ident) };
  };
}

/**
 * The node of `/nodes/{node}/allocation` for showing: Ironic hides a node the caller may not
 * see behind its generic 404 there.
 */
export function allocationNodePolicyTarget(nodes: NodeStore): PolicyTargetFinder {
  const finder = nodePolicyTarget(nodes);
  return async (req, params) => {
    const target = await finder(req, params);
    return target && { values: target.values, notFound: new NotFound() };
  };
}

/** Authorises `rule` on one allocation the handler found, as Ironic's `check_owner_policy`. */
export function authorizeOnAllocation(req: Request, rule: string, row: AllocationRow): void {
  req.policy?.authorize(rule, policyValues(credentialsOf(req)), allocationTarget(row));
}

/** Whether the caller may see the node, for a node named in a query or body. */
export function mayGetNode(req: Request, node: Parameters<typeof nodeTarget>[0]): boolean {
  const enforcer = req.policy;
  if (!enforcer?.enforced) return true;
  return enforcer.check('baremetal:node:get', policyValues(credentialsOf(req)), nodeTarget(node));
}

/**
 * What a new allocation becomes for a project-scoped caller, as Ironic decides it after its
 * policy: the caller's project owns it unless it names one (another one takes
 * `create_restricted`), and without `create_restricted` its candidate nodes are only the nodes
 * its project owns or leases. `candidateProject` is undefined when candidates are unrestricted.
 */
export function projectAllocation(
  req: Request,
  owner: string | null | undefined,
): { owner: string | null | undefined; candidateProject: string | undefined } {
  const enforcer = req.policy;
  if (!enforcer?.enforced) return { owner, candidateProject: undefined };
  const credentials = policyValues(credentialsOf(req));
  const restricted = enforcer.check('baremetal:allocation:create_restricted', credentials);
  const project = projectOf(credentials);
  const candidateProject = restricted ? undefined : (project ?? undefined);
  if (credentials.system_scope === 'all') return { owner, candidateProject };
  if (!owner) return { owner: project, candidateProject };
  if (!restricted && owner !== project) {
    throw errorFromWire({
      kind: 'NotAuthorized',
      status: 403,
      message:
        `Cannot create allocation with an owner Project ID value ${owner} not matching the ` +
        `requester Project ID ${project ?? 'None'}. Policy ` +
        'baremetal:allocation:create_restricted is required for this capability.',
    });
  }
  return { owner, candidateProject };
}
