import type { NodeStore, PortRow, PortStore } from '@galvanic/db';
import { NodeNotFound, PortNotFound } from '@galvanic/errors';
import type { PolicyTargetFinder, ResourcePolicy } from '../../resources/policy';
import { hasLogicalNameCharacters, isUuid } from '../../resources/rules';
import { MINOR_88_PORT_NAME } from '../../resources/versions';
import { nodeChildPolicy } from '../nodes/child-policy';
import { nodeTarget } from '../nodes/policy';

/**
 * Ironic's port rules: a port is seen by whoever sees its node, and managed by system members
 * or its node's owner.
 */
export const PORT_POLICY: ResourcePolicy = nodeChildPolicy({
  rulePrefix: 'baremetal:port',
  collection: 'ports',
  finder: 'port',
});

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
