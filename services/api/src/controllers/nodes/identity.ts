import type { Request } from 'express';
import type { NodeRow, NodeStore } from '@galvanic/db';
import { InvalidUuidOrName, NodeNotFound } from '@galvanic/errors';
import { hasLogicalNameCharacters, isUuid, isValidLogicalName } from '../../resources/rules';
import { MINOR_5_NODE_NAME } from '../../resources/versions';

export function isValidNodeName(text: string): boolean {
  return isValidLogicalName(text);
}

/**
 * Finds the node a path names: a UUID always, a name from microversion 1.5 on (before that a
 * name is not found, as in Ironic).
 */
export async function findNode(
  req: Request,
  nodes: NodeStore,
  ident: string,
  withReservation = false,
): Promise<NodeRow> {
  let node: NodeRow | undefined;
  if (isUuid(ident)) node = await nodes.getByUuid(ident.toLowerCase(), withReservation);
  else if (req.apiVersion.minor >= MINOR_5_NODE_NAME) {
    if (!hasLogicalNameCharacters(ident)) throw new InvalidUuidOrName(ident);
    node = await nodes.getByName(ident, withReservation);
  }
  if (!node) throw new NodeNotFound(ident);
  return node;
}
