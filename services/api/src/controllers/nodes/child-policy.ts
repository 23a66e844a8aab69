import * as p from '../../policy/base-rules';
import type { PolicyRoute, ResourcePolicy } from '../../resources/policy';

const GET = ['GET', 'HEAD'];
const VISIBLE_NODE = { finder: 'node', visibleBy: 'baremetal:node:get' } as const;

/** The list rules of a resource that belongs to a node, e.g. `baremetal:port:list`. */
export function childListRules(rulePrefix: string): { all: string; own: string } {
  return { all: `${rulePrefix}:list_all`, own: `${rulePrefix}:list` };
}

/**
 * Ironic's rules for a resource that belongs to a node (ports, port groups): seen by whoever
 * sees its node, listed by project in SQL, created and deleted by system admins or the node's
 * owner admins, changed by system members or owner admins. `finder` finds one by its path's
 * `:ident`; `extraRoutes` come first.
 */
export function nodeChildPolicy(options: {
  rulePrefix: string;
  collection: string;
  finder: string;
  extraRoutes?: readonly PolicyRoute[];
}): ResourcePolicy {
  const { rulePrefix: rule, collection } = options;
  const list = childListRules(rule);
  const visible = { finder: options.finder, visibleBy: 'baremetal:node:get' };
  const one = (methods: string[], action: string): PolicyRoute => ({
    methods,
    path: `/${collection}/:ident`,
    rules: [`${rule}:${action}`],
    target: visible,
  });
  return {
    rules: {
      [`${rule}:get`]: p.SYSTEM_OR_PROJECT_READER,
      [`${rule}:list`]: p.API_READER,
      [`${rule}:list_all`]: p.SYSTEM_READER,
      [`${rule}:create`]: p.SYSTEM_ADMIN_OR_OWNER_ADMIN,
      [`${rule}:delete`]: p.SYSTEM_ADMIN_OR_OWNER_ADMIN,
      [`${rule}:update`]: p.SYSTEM_MEMBER_OR_OWNER_ADMIN,
    },
    routes: [
      ...(options.extraRoutes ?? []),
      { methods: GET, path: `/${collection}`, rules: [], list },
      { methods: GET, path: `/${collection}/detail`, rules: [], list },
      // The node's owner may add to it; Ironic answers others with a 403, hiding nothing.
      {
        methods: ['POST'],
        path: `/${collection}`,
        rules: [`${rule}:create`],
        target: { finder: 'body-node' },
      },
      one(GET, 'get'),
      one(['PATCH'], 'update'),
      one(['DELETE'], 'delete'),
      ...['', '/detail'].map((suffix) => ({
        methods: GET,
        path: `/nodes/:ident/${collection}${suffix}`,
        rules: [],
        target: VISIBLE_NODE,
        list,
      })),
    ],
  };
}
