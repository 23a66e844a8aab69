import type { Request } from 'express';
import type { NodeRow, NodeStore } from '@galvanic/db';
import { InvalidUuidOrName, NodeNotFound } from '@galvanic/errors';
import { atLeast } from '../../http/microversion';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** RFC 3986 unreserved characters, Ironic's rule for logical names. */
const LOGICAL_NAME = /^[A-Za-z0-9._~-]+$/;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

export function isValidNodeName(text: string): boolean {
  return LOGICAL_NAME.test(text) && !isUuid(text);
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
  else if (atLeast(req, 5)) {
    if (!LOGICAL_NAME.test(ident)) throw new InvalidUuidOrName(ident);
    node = await nodes.getByName(ident, withReservation);
  }
  if (!node) throw new NodeNotFound(ident);
  return node;
}
