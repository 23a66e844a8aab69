import type { Request, Response } from 'express';
import {
  PORT_SORT_KEYS,
  type NodeRow,
  type NodeStore,
  type PortFilters,
  type PortRow,
  type PortSortKey,
  type PortStore,
} from '@galvanic/db';
import { InvalidParameterValue, NodeNotFound, NotAcceptable, PortNotFound } from '@galvanic/errors';
import { collectionQuery, nextLink, singleQueryParam } from '../../http/collection';
import { baseUrl } from '../../http/links';
import { atLeast } from '../../http/microversion';
import { findNode, isUuid, isValidNodeName } from '../nodes/identity';
import {
  ALL_PORT_FIELDS,
  DEFAULT_LIST_FIELDS,
  checkFieldsAllowed,
  fieldsAt,
  portToApi,
} from './fields';
import { booleanArgument, macArgument, uuidArgument } from './schema';

export interface PortListDependencies {
  ports: PortStore;
  nodes: NodeStore;
  publicEndpoint: string | undefined;
}

/** `?fields=` came with 1.8, `?detail=` with 1.43; before that Ironic refuses them. */
function checkListParameters(req: Request, detailPath: boolean): boolean {
  if (singleQueryParam(req, 'fields') !== undefined && !atLeast(req, 8)) throw new NotAcceptable();
  const detailText = singleQueryParam(req, 'detail');
  if (detailText === undefined) return detailPath;
  const detail = booleanArgument('detail', detailText);
  if (detailPath || !atLeast(req, 43)) {
    throw new InvalidParameterValue(
      `Invalid query parameter ?detail=${detail ? 'True' : 'False'} received.`,
    );
  }
  return detail;
}

/** The node a list is limited to: the parent path's node, else `node_uuid`, else `node`. */
async function nodeFilter(
  req: Request,
  nodes: NodeStore,
  parent: string | undefined,
): Promise<NodeRow | undefined> {
  if (parent !== undefined) return findNode(req, nodes, parent);
  const nodeUuid = singleQueryParam(req, 'node_uuid');
  if (nodeUuid !== undefined) {
    const node = await nodes.getByUuid(uuidArgument('node_uuid', nodeUuid).toLowerCase());
    if (!node) throw new NodeNotFound(nodeUuid);
    return node;
  }
  const ident = singleQueryParam(req, 'node');
  if (ident === undefined) return undefined;
  if (!isUuid(ident)) {
    if (!isValidNodeName(ident))
      throw new InvalidParameterValue(`Expected UUID or name for node: ${ident}`);
    if (!atLeast(req, 5)) throw new NotAcceptable();
  }
  return findNode(req, nodes, ident);
}

/**
 * `GET /v1/ports[/detail]` and `GET /v1/nodes/{node}/ports[/detail]`: Ironic's filters, keyset
 * pagination, sorting and field selection, with its microversion rules.
 */
export function listPorts(deps: PortListDependencies, detailPath: boolean) {
  return async (req: Request, res: Response): Promise<void> => {
    const minor = req.apiVersion.minor;
    const detail = checkListParameters(req, detailPath);
    const query = collectionQuery(req, {
      sortKeys: PORT_SORT_KEYS,
      defaultSortKey: 'id',
      fields: ALL_PORT_FIELDS,
    });
    if (detailPath && query.fields) {
      throw new InvalidParameterValue(
        'Can not specify ?detail=True and fields in the same request.',
      );
    }
    checkFieldsAllowed([...(query.fields ?? []), query.sortKey], minor);

    let marker: PortRow | undefined;
    if (query.marker !== undefined) {
      marker = await deps.ports.getByUuid(uuidArgument('marker', query.marker).toLowerCase());
      if (!marker) throw new PortNotFound(query.marker);
    }
    // Set only under `/v1/nodes/:ident/ports`, whose router merges its parent's parameters.
    const ident: unknown = req.params.ident;
    const parent = typeof ident === 'string' ? ident : undefined;
    const filters: PortFilters = {};
    const node = await nodeFilter(req, deps.nodes, parent);
    if (node) filters.nodeId = node.id;
    const address = singleQueryParam(req, 'address');
    if (address !== undefined) filters.address = macArgument('address', address);

    const rows = await deps.ports.list({
      filters,
      limit: query.limit,
      marker,
      sortKey: query.sortKey as PortSortKey,
      sortDir: query.sortDir,
    });
    const base = baseUrl(req, deps.publicEndpoint);
    const fields = detail
      ? fieldsAt(minor)
      : [...new Set([...(query.fields ?? DEFAULT_LIST_FIELDS), 'links'])];
    const body: Record<string, unknown> = {
      ports: rows.map((row) => portToApi(row, fields, base)),
    };
    if (rows.length === query.limit && rows.length > 0) {
      const collection = parent === undefined ? 'ports' : `nodes/${parent}/ports`;
      body.next = nextLink(
        base,
        detailPath ? `${collection}/detail` : collection,
        req,
        rows.at(-1)!.uuid,
      );
    }
    res.json(body);
  };
}
