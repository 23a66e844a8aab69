import type { Request } from 'express';
import type { NodeRow, NodeStore } from '@galvanic/db';
import { Invalid, NodeNotFound } from '@galvanic/errors';
import * as p from '../../policy/base-rules';
import type { PolicyRoute, PolicyTargetFinder, ResourcePolicy } from '../../resources/policy';
import { booleanWord } from '../../resources/rules';
import { findNode } from './identity';

const GET = ['GET', 'HEAD'];
const VISIBLE = { finder: 'node', visibleBy: 'baremetal:node:get' } as const;

/** A route acting on the node named by `:ident`, which must first be visible to the caller. */
function onNode(methods: readonly string[] | '*', path: string, rule: string): PolicyRoute {
  return { methods, path: `/nodes/:ident${path}`, rules: [rule], target: VISIBLE };
}

/** Ironic's rule for each patched path; any other path takes `baremetal:node:update`. */
const PATCH_PATH_RULES: readonly [string, string][] = [
  ['/instance_info', 'baremetal:node:update_instance_info'],
  ['/extra', 'baremetal:node:update_extra'],
  ['/driver_info', 'baremetal:node:update:driver_info'],
  ['/properties', 'baremetal:node:update:properties'],
  ['/chassis_uuid', 'baremetal:node:update:chassis_uuid'],
  ['/instance_uuid', 'baremetal:node:update:instance_uuid'],
  ['/lessee', 'baremetal:node:update:lessee'],
  ['/owner', 'baremetal:node:update:owner'],
  ['/driver', 'baremetal:node:update:driver_interfaces'],
  ['/network_data', 'baremetal:node:update:network_data'],
  ['/conductor_group', 'baremetal:node:update:conductor_group'],
  ['/name', 'baremetal:node:update:name'],
  ['/retired', 'baremetal:node:update:retired'],
  ['/shard', 'baremetal:node:update:shard'],
  ['/disable_power_off', 'baremetal:node:update:disable_power_off'],
  ['/parent_node', 'baremetal:node:update:parent_node'],
];

function isFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && booleanWord(value) === false);
}

/** The rules a node patch needs, path by path, as Ironic picks them. */
export function nodePatchRules(req: Request): readonly string[] {
  const operations: unknown[] = Array.isArray(req.body) ? (req.body as unknown[]) : [];
  const rules = new Set<string>();
  let generic = false;
  for (const operation of operations) {
    const path =
      typeof operation === 'object' && operation !== null
        ? String((operation as { path?: unknown }).path ?? '')
        : '';
    const value = (operation as { value?: unknown } | null)?.value;
    const byPath = PATCH_PATH_RULES.find(([prefix]) => path.startsWith(prefix));
    if (byPath) rules.add(byPath[1]);
    else if (/^\/[a-z]+_interface$/.test(path))
      rules.add('baremetal:node:update:driver_interfaces');
    else if (path.startsWith('/automated_clean') && isFalse(value))
      rules.add('baremetal:node:disable_cleaning');
    else generic = true;
  }
  if (generic || rules.size === 0) rules.add('baremetal:node:update');
  return [...rules];
}

/** What a redacted field shows instead, in the words Ironic's clients see. */
/**
 * A project admin creates nodes for its own project only (Ironic's self-owned nodes): the new
 * node's owner is the caller's project, and naming another is refused.
 */
function ownNewNode(req: Request, credentials: Readonly<Record<string, unknown>>): void {
  if (credentials.system_scope === 'all') return;
  const project = typeof credentials.project_id === 'string' ? credentials.project_id : null;
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return;
  if (body.owner !== undefined && body.owner !== null && body.owner !== project) {
    throw new Invalid(
      'Cannot create a node as a project scoped admin with an owner other than your own project.',
    );
  }
  body.owner = project;
}

const REDACTED = (rule: string, prefix = 'Redacted - requires') =>
  `** ${prefix} ${rule} permission. **`;

/**
 * Ironic's node rules and defaults (policy-in-code): system readers see every node, a project
 * the nodes it owns or leases; owners manage their nodes' hardware, lessees use them.
 */
export const NODE_POLICY: ResourcePolicy = {
  rules: {
    'baremetal:node:create': `(${p.SYSTEM_ADMIN}) or (role:service and system_scope:all)`,
    'baremetal:node:create:self_owned_node': '(role:admin) or (role:service)',
    'baremetal:node:list': p.API_READER,
    'baremetal:node:list_all': p.SYSTEM_READER,
    'baremetal:node:get': p.SYSTEM_OR_PROJECT_READER,
    'baremetal:node:get:filter_threshold': p.SYSTEM_READER,
    'baremetal:node:get:last_error': p.SYSTEM_OR_OWNER_READER,
    'baremetal:node:get:reservation': p.SYSTEM_OR_OWNER_READER,
    'baremetal:node:get:driver_internal_info': p.SYSTEM_OR_OWNER_READER,
    'baremetal:node:get:driver_info': p.SYSTEM_OR_OWNER_READER,
    'baremetal:node:update:driver_info': p.SYSTEM_MEMBER_OR_OWNER_MEMBER,
    'baremetal:node:update:properties': p.SYSTEM_MEMBER_OR_OWNER_MEMBER,
    'baremetal:node:update:chassis_uuid': p.SYSTEM_ADMIN,
    'baremetal:node:update:instance_uuid': p.SYSTEM_MEMBER_OR_OWNER_MEMBER,
    'baremetal:node:update:lessee': p.SYSTEM_MEMBER_OR_OWNER_MEMBER,
    'baremetal:node:update:owner': p.SYSTEM_MEMBER,
    'baremetal:node:update:driver_interfaces': p.SYSTEM_MEMBER_OR_OWNER_ADMIN,
    'baremetal:node:update:network_data': p.SYSTEM_MEMBER_OR_OWNER_MEMBER,
    'baremetal:node:update:conductor_group': p.SYSTEM_MEMBER,
    'baremetal:node:update:name': p.SYSTEM_MEMBER_OR_OWNER_MEMBER,
    'baremetal:node:update:retired': p.SYSTEM_MEMBER_OR_OWNER_MEMBER,
    'baremetal:node:update:shard': p.SYSTEM_ADMIN,
    'baremetal:node:update': p.SYSTEM_OR_PROJECT_MEMBER,
    'baremetal:node:update_extra': p.SYSTEM_OR_PROJECT_MEMBER,
    'baremetal:node:update_instance_info': p.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN,
    'baremetal:node:delete': p.SYSTEM_ADMIN,
    'baremetal:node:disable_cleaning': p.SYSTEM_ADMIN,
    'baremetal:node:delete:self_owned_node': p.PROJECT_ADMIN,
    'baremetal:node:validate': p.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN,
    'baremetal:node:set_maintenance': p.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN,
    'baremetal:node:clear_maintenance': p.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN,
    'baremetal:node:get_boot_device': p.SYSTEM_MEMBER_OR_OWNER_ADMIN,
    'baremetal:node:set_boot_device': p.SYSTEM_MEMBER_OR_OWNER_ADMIN,
    'baremetal:node:get_indicator_state': p.SYSTEM_OR_PROJECT_READER,
    'baremetal:node:set_indicator_state': p.SYSTEM_MEMBER_OR_OWNER_MEMBER,
    'baremetal:node:inject_nmi': p.SYSTEM_MEMBER_OR_OWNER_ADMIN,
    'baremetal:node:get_states': p.SYSTEM_OR_PROJECT_READER,
    'baremetal:node:set_power_state': p.SYSTEM_OR_PROJECT_MEMBER,
    'baremetal:node:set_boot_mode': p.SYSTEM_OR_PROJECT_MEMBER,
    'baremetal:node:set_secure_boot': p.SYSTEM_OR_PROJECT_MEMBER,
    'baremetal:node:set_provision_state': p.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN,
    'baremetal:node:set_raid_state': p.SYSTEM_MEMBER_OR_OWNER_MEMBER,
    'baremetal:node:get_console': p.SYSTEM_MEMBER_OR_OWNER_MEMBER,
    'baremetal:node:set_console_state': p.SYSTEM_MEMBER_OR_OWNER_MEMBER,
    'baremetal:node:vif:list': p.SYSTEM_OR_PROJECT_READER,
    'baremetal:node:vif:attach': p.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN,
    'baremetal:node:vif:detach': p.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN,
    'baremetal:node:traits:list': p.SYSTEM_OR_PROJECT_READER,
    'baremetal:node:traits:set': p.SYSTEM_MEMBER_OR_OWNER_ADMIN,
    'baremetal:node:traits:delete': p.SYSTEM_MEMBER_OR_OWNER_ADMIN,
    'baremetal:node:bios:get': p.SYSTEM_OR_PROJECT_READER,
    'baremetal:node:history:get': p.SYSTEM_OR_OWNER_READER,
    'baremetal:node:inventory:get': p.SYSTEM_OR_OWNER_READER,
    'baremetal:node:firmware:get': p.SYSTEM_OR_PROJECT_READER,
    'baremetal:node:update:disable_power_off': p.SYSTEM_ADMIN,
    'baremetal:node:update:parent_node': p.SYSTEM_MEMBER,
    'baremetal:shards:get': p.SYSTEM_READER,
    'baremetal:node:vendor_passthru': p.SYSTEM_ADMIN,
    'baremetal:node:vmedia:attach': p.SYSTEM_OR_PROJECT_MEMBER,
    'baremetal:node:vmedia:detach': p.SYSTEM_OR_PROJECT_MEMBER,
    'baremetal:node:vmedia:get': p.SYSTEM_OR_PROJECT_READER,
  },
  routes: [
    {
      methods: GET,
      path: '/nodes',
      rules: [],
      list: { all: 'baremetal:node:list_all', own: 'baremetal:node:list', ownerFilter: 'owner' },
    },
    {
      methods: GET,
      path: '/nodes/detail',
      rules: [],
      list: { all: 'baremetal:node:list_all', own: 'baremetal:node:list', ownerFilter: 'owner' },
    },
    {
      methods: ['POST'],
      path: '/nodes',
      rules: ['baremetal:node:create'],
      alternative: {
        rules: ['baremetal:node:create:self_owned_node'],
        tried: 'first',
        apply: ownNewNode,
      },
    },
    onNode(GET, '', 'baremetal:node:get'),
    { methods: ['PATCH'], path: '/nodes/:ident', rules: nodePatchRules, target: VISIBLE },
    {
      ...onNode(['DELETE'], '', 'baremetal:node:delete'),
      alternative: { rules: ['baremetal:node:delete:self_owned_node'], tried: 'after' },
    },
    onNode(GET, '/states', 'baremetal:node:get_states'),
    onNode(['PUT'], '/states/power', 'baremetal:node:set_power_state'),
    onNode(['PUT'], '/states/provision', 'baremetal:node:set_provision_state'),
    onNode(['PUT'], '/states/boot_mode', 'baremetal:node:set_boot_mode'),
    onNode(['PUT'], '/states/secure_boot', 'baremetal:node:set_secure_boot'),
    onNode(['PUT'], '/states/raid', 'baremetal:node:set_raid_state'),
    onNode(GET, '/states/console', 'baremetal:node:get_console'),
    onNode(['PUT'], '/states/console', 'baremetal:node:set_console_state'),
    onNode(['PUT'], '/maintenance', 'baremetal:node:set_maintenance'),
    onNode(['DELETE'], '/maintenance', 'baremetal:node:clear_maintenance'),
    onNode(GET, '/management/boot_device/*', 'baremetal:node:get_boot_device'),
    onNode(['PUT'], '/management/boot_device', 'baremetal:node:set_boot_device'),
    onNode(['PUT'], '/management/inject_nmi', 'baremetal:node:inject_nmi'),
    onNode(GET, '/management/indicators/*', 'baremetal:node:get_indicator_state'),
    onNode(['PUT'], '/management/indicators/*', 'baremetal:node:set_indicator_state'),
    onNode(GET, '/validate', 'baremetal:node:validate'),
    onNode('*', '/vendor_passthru/*', 'baremetal:node:vendor_passthru'),
    onNode(GET, '/bios/*', 'baremetal:node:bios:get'),
    onNode(GET, '/traits', 'baremetal:node:traits:list'),
    onNode(['PUT'], '/traits/*', 'baremetal:node:traits:set'),
    onNode(['DELETE'], '/traits/*', 'baremetal:node:traits:delete'),
    onNode(GET, '/vifs', 'baremetal:node:vif:list'),
    onNode(['POST'], '/vifs', 'baremetal:node:vif:attach'),
    onNode(['DELETE'], '/vifs/*', 'baremetal:node:vif:detach'),
    onNode(GET, '/history/*', 'baremetal:node:history:get'),
    onNode(GET, '/inventory', 'baremetal:node:inventory:get'),
    onNode(GET, '/firmware', 'baremetal:node:firmware:get'),
    // Ironic checks the parent with `baremetal:node:get` and lists the children it may see.
    onNode(GET, '/children', 'baremetal:node:get'),
    { methods: GET, path: '/shards', rules: ['baremetal:shards:get'] },
    onNode(['POST'], '/vmedia', 'baremetal:node:vmedia:attach'),
    onNode(['DELETE'], '/vmedia', 'baremetal:node:vmedia:detach'),
    onNode(GET, '/vmedia', 'baremetal:node:vmedia:get'),
  ],
  targetOf: (row) => nodeTarget(row as NodeRow),
  redactions: {
    threshold: 'baremetal:node:get:filter_threshold',
    fields: {
      driver_info: {
        rule: 'baremetal:node:get:driver_info',
        shown: { content: REDACTED('baremetal:node:get:driver_info') },
      },
      driver_internal_info: {
        rule: 'baremetal:node:get:driver_internal_info',
        shown: {
          content: REDACTED('baremetal:node:get:driver_internal_info', 'Redacted - Requires'),
        },
      },
      last_error: {
        rule: 'baremetal:node:get:last_error',
        shown: REDACTED('baremetal:node:get:last_error', 'Value Redacted - Requires'),
      },
      reservation: {
        rule: 'baremetal:node:get:reservation',
        shown: REDACTED('baremetal:node:get:reservation'),
      },
    },
  },
};

/** What a node gives the rules. */
export function nodeTarget(node: Pick<NodeRow, 'owner' | 'lessee'>): Record<string, unknown> {
  return { 'node.owner': node.owner ?? null, 'node.lessee': node.lessee ?? null };
}

/** The node a path names, for policy; its 404 hides it from callers who may not see it. */
export function nodePolicyTarget(nodes: NodeStore): PolicyTargetFinder {
  return async (req, params) => {
    const ident = params.ident ?? '';
    let node: NodeRow;
    try {
      node = await findNode(req, nodes, ident);
    } catch (error) {
      if (error instanceof NodeNotFound) return undefined;
      throw error;
    }
    return { values: nodeTarget(node), notFound: new NodeNotFound(ident) };
  };
}
