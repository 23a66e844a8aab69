import type { Request } from 'express';
import type { NodeRow, NodeStore } from '@galvanic/db';
import { InvalidUuidOrName, NodeNotFound } from '@galvanic/errors';
import { isUuid } from '../../http/arguments';
import { atLeast } from '../../http/microversion';

/** RFC 3986 unreserved characters, Ironic's rule for logical names. */
const LOGICAL_NAME = /^[A-Za-z0-9._~-]+$/;

/** Longest logical name Ironic accepts. */
const MAX_NAME_LENGTH = 255;

export { isUuid };

export function isValidNodeName(text: string): boolean {
  return text.length <= MAX_NAME_LENGTH && LOGICAL_NAME.test(text) && !isUuid(text);
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
