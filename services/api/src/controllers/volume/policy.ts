import type { NodeStore } from '@galvanic/db';
import { VolumeConnectorNotFound, VolumeTargetNotFound } from '@galvanic/errors';
import * as p from '../../policy/base-rules';
import type { PolicyRoute, PolicyTargetFinder, ResourcePolicy } from '../../resources/policy';
import { isUuid } from '../../resources/rules';
import { nodeTarget } from '../nodes/policy';

const GET = ['GET', 'HEAD'];
const LIST = { all: 'baremetal:volume:list_all', own: 'baremetal:volume:list' } as const;
const PROPERTIES_RULE = 'baremetal:volume:view_target_properties';

/** The routes of one volume collection (`connectors` or `targets`), found by `finder`. */
function collectionRoutes(kind: 'connectors' | 'targets', finder: string): PolicyRoute[] {
  const visible = { finder, visibleBy: 'baremetal:node:get' };
  const one = (methods: string[], rule: string): PolicyRoute => ({
    methods,
    path: `/volume/${kind}/:ident`,
    rules: [`baremetal:volume:${rule}`],
    target: visible,
  });
  return [
    { methods: GET, path: `/volume/${kind}`, rules: [], list: LIST },
    // The node's owner or lessee admins may add to it; Ironic answers others with a 403.
    {
      methods: ['POST'],
      path: `/volume/${kind}`,
      rules: ['baremetal:volume:create'],
      target: { finder: 'body-node' },
    },
    one(GET, 'get'),
    one(['PATCH'], 'update'),
    one(['DELETE'], 'delete'),
    {
      methods: GET,
      path: `/nodes/:ident/volume/${kind}`,
      rules: [],
      target: { finder: 'node', visibleBy: 'baremetal:node:get' },
      list: LIST,
    },
  ];
}

/**
 * Ironic's volume rules: connectors and targets are seen by whoever sees their node and listed
 * by project in SQL; owner and lessee admins add and remove them. The volume documents take
 * `baremetal:volume:get` with no node, so only operators pass it by default, as in Ironic.
 * Target properties may hold connection secrets and are redacted to others.
 */
export const VOLUME_POLICY: ResourcePolicy = {
  rules: {
    'baremetal:volume:list_all': p.SYSTEM_READER,
    'baremetal:volume:list': p.API_READER,
    'baremetal:volume:get': p.SYSTEM_OR_PROJECT_READER,
    'baremetal:volume:create': p.SYSTEM_MEMBER_OR_OWNER_LESSEE_ADMIN,
    'baremetal:volume:delete': p.SYSTEM_MEMBER_OR_OWNER_LESSEE_ADMIN,
    'baremetal:volume:update': p.SYSTEM_OR_OWNER_MEMBER_AND_LESSEE_ADMIN,
    [PROPERTIES_RULE]: p.TARGET_PROPERTIES_READER,
  },
  routes: [
    { methods: GET, path: '/volume', rules: ['baremetal:volume:get'] },
    { methods: GET, path: '/nodes/:ident/volume', rules: ['baremetal:volume:get'] },
    ...collectionRoutes('connectors', 'volume-connector'),
    ...collectionRoutes('targets', 'volume-target'),
  ],
  // Ironic checks the properties rule on the caller alone, not on the target's node.
  targetOf: () => ({}),
  redactions: {
    threshold: PROPERTIES_RULE,
    fields: {
      properties: {
        rule: PROPERTIES_RULE,
        shown: {
          redacted_contents: `** Value redacted: Requires permission ${PROPERTIES_RULE} access. Permission denied. **`,
        },
      },
    },
  },
};

/** What a volume store gives policy: a row's node. */
interface VolumeRowStore {
  getByUuid(uuid: string): Promise<{ node_id: number } | undefined>;
}

/**
 * The volume connector or target a path names (by UUID) and its node's owner and lessee, for
 * policy; its 404 hides it from callers who may not see the node.
 */
export function volumePolicyTarget(
  store: VolumeRowStore,
  nodes: NodeStore,
  notFound: (ident: string) => Error,
): PolicyTargetFinder {
  return async (_req, params) => {
    const ident = params.ident ?? '';
    if (!isUuid(ident)) return undefined;
    const row = await store.getByUuid(ident.toLowerCase());
    if (!row) return undefined;
    const node = await nodes.getById(row.node_id);
    return {
      values: nodeTarget(node ?? { owner: null, lessee: null }),
      notFound: notFound(ident),
    };
  };
}

export const volumeConnectorNotFound = (ident: string) => new VolumeConnectorNotFound(ident);
export const volumeTargetNotFound = (ident: string) => new VolumeTargetNotFound(ident);
