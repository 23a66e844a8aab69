import type { NodeStore, PortRow, PortStore } from '@galvanic/db';
import { NodeNotFound, PortNotFound } from '@galvanic/errors';
import * as p from '../../policy/base-rules';
import type { PolicyTargetFinder, ResourcePolicy } from '../../resources/policy';
import { hasLogicalNameCharacters, isUuid } from '../../resources/rules';
import { MINOR_88_PORT_NAME } from '../../resources/versions';
import { nodeTarget } from '../nodes/policy';

const GET = ['GET', 'HEAD'];
export const PORT_LIST = { all: 'baremetal:port:list_all', own: 'baremetal:port:list' } as const;
const VISIBLE_PORT = { finder: 'port', visibleBy: 'baremetal:node:get' } as const;
const VISIBLE_NODE = { finder: 'node', visibleBy: 'baremetal:node:get' } as const;

/**
 * Ironic's port rules: a port is seen by whoever sees its node, and managed by system members
 * or its node's owner.
 */
export const PORT_POLICY: ResourcePolicy = {
  rules: {
    'baremetal:port:get': p.SYSTEM_OR_PROJECT_READER,
    'baremetal:port:list': p.API_READER,
    'baremetal:port:list_all': p.SYSTEM_READER,
    'baremetal:port:create': p.SYSTEM_ADMIN_OR_OWNER_ADMIN,
    'baremetal:port:delete': p.SYSTEM_ADMIN_OR_OWNER_ADMIN,
    'baremetal:port:update': p.SYSTEM_MEMBER_OR_OWNER_ADMIN,
  },
  routes: [
    { methods: GET, path: '/ports', rules: [], list: PORT_LIST },
    { methods: GET, path: '/ports/detail', rules: [], list: PORT_LIST },
    {
      methods: ['POST'],
      path: '/ports',
      rules: ['baremetal:port:create'],
      target: { finder: 'body-node' },
    },
    { methods: GET, path: '/ports/:ident', rules: ['baremetal:port:get'], target: VISIBLE_PORT },
    {
      methods: ['PATCH'],
      path: '/ports/:ident',
      rules: ['baremetal:port:update'],
      target: VISIBLE_PORT,
    },
    {
      methods: ['DELETE'],
      path: '/ports/:ident',
      rules: ['baremetal:port:delete'],
      target: VISIBLE_PORT,
    },
    { methods: GET, path: '/nodes/:ident/ports', rules: [], target: VISIBLE_NODE, list: PORT_LIST },
    {
      methods: GET,
      path: '/nodes/:ident/ports/detail',
      rules: [],
      target: VISIBLE_NODE,
      list: PORT_LIST,
    },
  ],
};

/**
 * The port a path names (by UUID, or by name from 1.88 as the handlers read it) and its node's
 * owner and lessee, for policy; undefined only when there is no such port.
 */
export function portPolicyTarget(ports: PortStore, nodes: NodeStore): PolicyTargetFinder {
  return async (req, params) => {
    const ident = params.ident ?? '';
    let port: PortRow | undefined;
    if (isUuid(ident)) port = await ports.getByUuid(ident.toLowerCase());
    else if (req.apiVersion.minor >= MINOR_88_PORT_NAME && hasLogicalNameCharacters(ident))
      port = await ports.getByName(ident);
    if (!port) return undefined;
    const node = await nodes.getById(port.node_id);
    return {
      values: nodeTarget(node ?? { owner: null, lessee: null }),
      notFound: new PortNotFound(ident),
    };
  };
}

/**
 * The node a new port or port group is for (its `node_uuid`), for policy: its owner may create
 * them, and others are refused with a 403, as Ironic checks it.
 */
export function bodyNodeTarget(nodes: NodeStore): PolicyTargetFinder {
  return async (req) => {
    const uuid = (req.body as { node_uuid?: unknown } | undefined)?.node_uuid;
    if (typeof uuid !== 'string' || !isUuid(uuid)) return undefined;
    const node = await nodes.getByUuid(uuid.toLowerCase());
    if (!node) return undefined;
    return { values: nodeTarget(node), notFound: new NodeNotFound(uuid) };
  };
}
