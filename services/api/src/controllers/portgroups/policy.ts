import type { NodeStore, PortgroupRow, PortgroupStore } from '@galvanic/db';
import { PortgroupNotFound } from '@galvanic/errors';
import type { PolicyTargetFinder, ResourcePolicy } from '../../resources/policy';
import { hasLogicalNameCharacters, isUuid } from '../../resources/rules';
import { childListRules, nodeChildPolicy } from '../nodes/child-policy';
import { nodeTarget } from '../nodes/policy';

const GET = ['GET', 'HEAD'];
const VISIBLE_GROUP = { finder: 'portgroup', visibleBy: 'baremetal:node:get' } as const;
const PORT_LIST = childListRules('baremetal:port');

/**
 * Ironic's port group rules: like ports, seen by whoever sees the node, managed by system
 * members or the node's owner; the ports of a group are listed as ports are.
 */
export const PORTGROUP_POLICY: ResourcePolicy = nodeChildPolicy({
  rulePrefix: 'baremetal:portgroup',
  collection: 'portgroups',
  finder: 'portgroup',
  extraRoutes: ['', '/detail'].map((suffix) => ({
    methods: GET,
    path: `/portgroups/:ident/ports${suffix}`,
    rules: [],
    target: VISIBLE_GROUP,
    list: PORT_LIST,
  })),
});

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
