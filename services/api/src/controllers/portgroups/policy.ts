import type { NodeStore, PortgroupRow, PortgroupStore } from '@galvanic/db';
import { PortgroupNotFound } from '@galvanic/errors';
import * as p from '../../policy/base-rules';
import type { PolicyTargetFinder, ResourcePolicy } from '../../resources/policy';
import { hasLogicalNameCharacters, isUuid } from '../../resources/rules';
import { nodeTarget } from '../nodes/policy';
import { PORT_LIST } from '../ports/policy';

const GET = ['GET', 'HEAD'];
const LIST = { all: 'baremetal:portgroup:list_all', own: 'baremetal:portgroup:list' } as const;
const VISIBLE_GROUP = { finder: 'portgroup', visibleBy: 'baremetal:node:get' } as const;
const VISIBLE_NODE = { finder: 'node', visibleBy: 'baremetal:node:get' } as const;

/**
 * Ironic's port group rules: like ports, seen by whoever sees the node, managed by system
 * members or the node's owner.
 */
export const PORTGROUP_POLICY: ResourcePolicy = {
  rules: {
    'baremetal:portgroup:get': p.SYSTEM_OR_PROJECT_READER,
    'baremetal:portgroup:create': p.SYSTEM_ADMIN_OR_OWNER_ADMIN,
    'baremetal:portgroup:delete': p.SYSTEM_ADMIN_OR_OWNER_ADMIN,
    'baremetal:portgroup:update': p.SYSTEM_MEMBER_OR_OWNER_ADMIN,
    'baremetal:portgroup:list': p.API_READER,
    'baremetal:portgroup:list_all': p.SYSTEM_READER,
  },
  routes: [
    { methods: GET, path: '/portgroups', rules: [], list: LIST },
    { methods: GET, path: '/portgroups/detail', rules: [], list: LIST },
    {
      methods: ['POST'],
      path: '/portgroups',
      rules: ['baremetal:portgroup:create'],
      target: { finder: 'body-node' },
    },
    {
      methods: GET,
      path: '/portgroups/:ident/ports',
      rules: [],
      target: VISIBLE_GROUP,
      list: PORT_LIST,
    },
    {
      methods: GET,
      path: '/portgroups/:ident/ports/detail',
      rules: [],
      target: VISIBLE_GROUP,
      list: PORT_LIST,
    },
    {
      methods: GET,
      path: '/portgroups/:ident',
      rules: ['baremetal:portgroup:get'],
      target: VISIBLE_GROUP,
    },
    {
      methods: ['PATCH'],
      path: '/portgroups/:ident',
      rules: ['baremetal:portgroup:update'],
      target: VISIBLE_GROUP,
    },
    {
      methods: ['DELETE'],
      path: '/portgroups/:ident',
      rules: ['baremetal:portgroup:delete'],
      target: VISIBLE_GROUP,
    },
    { methods: GET, path: '/nodes/:ident/portgroups', rules: [], target: VISIBLE_NODE, list: LIST },
    {
      methods: GET,
      path: '/nodes/:ident/portgroups/detail',
      rules: [],
      target: VISIBLE_NODE,
      list: LIST,
    },
  ],
};

/** The port group a path names (UUID or name) and its node's owner and lessee, for policy. */
export function portgroupPolicyTarget(
  portgroups: PortgroupStore,
  nodes: NodeStore,
): PolicyTargetFinder {
  return async (_req, params) => {
    const ident = params.ident ?? '';
    let group: PortgroupRow | undefined;
    if (isUuid(ident)) group = await portgroups.getByUuid(ident.toLowerCase());
    else if (hasLogicalNameCharacters(ident)) group = await portgroups.getByName(ident);
    if (!group) return undefined;
    const node = await nodes.getById(group.node_id);
    return {
      values: nodeTarget(node ?? { owner: null, lessee: null }),
      notFound: new PortgroupNotFound(ident),
    };
  };
}
