import { Router, type Request, type RequestHandler } from 'express';
import type { NodeHistoryRow, NodeHistoryStore, NodeStore } from '@galvanic/db';
import { InvalidParameterValue, NodeHistoryNotFound, NotFound } from '@galvanic/errors';
import { collectionQuery, nextLink } from '../../http/collection';
import { methodNotAllowed } from '../../http/errors';
import { baseUrl, ironicTimestamp, resourceLinks } from '../../http/links';
import { isUuid } from '../../resources/rules';
import {
  MINOR_78_NODE_HISTORY,
  MINOR_113_NODE_HISTORY_PROJECT,
  MINOR_115_NODE_HISTORY_FIELDS,
} from '../../resources/versions';
import { findNode } from './identity';

export interface NodeHistoryDependencies {
  nodes: NodeStore;
  history: NodeHistoryStore;
  publicEndpoint: string | undefined;
}

const STANDARD_FIELDS = ['uuid', 'created_at', 'severity', 'event'] as const;
const DETAIL_FIELDS = [...STANDARD_FIELDS, 'event_type', 'conductor', 'user'] as const;
const STATE_FIELDS = ['state', 'target_provision_state', 'duration_seconds'] as const;

/**
 * The fields an event shows: the standard ones, or the detail ones with 1.113's `project` (none
 * is known without authentication: null) and 1.115's state fields.
 */
function fieldsOf(req: Request, detail: boolean): readonly string[] {
  if (!detail) return STANDARD_FIELDS;
  const minor = req.apiVersion.minor;
  return [
    ...DETAIL_FIELDS,
    ...(minor >= MINOR_113_NODE_HISTORY_PROJECT ? ['project'] : []),
    ...(minor >= MINOR_115_NODE_HISTORY_FIELDS ? STATE_FIELDS : []),
  ];
}

/** An event as Ironic shows it; a list without detail cuts long events to 255 characters. */
function render(
  base: string,
  nodeUuid: string,
  row: NodeHistoryRow,
  fields: readonly string[],
  detail: boolean,
): Record<string, unknown> {
  const columns = row as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    out[field] =
      field === 'created_at' ? ironicTimestamp(row.created_at) : (columns[field] ?? null);
  }
  if (!detail && row.event.length > 255) out.event = `${row.event.slice(0, 251)}...`;
  out.links = [resourceLinks(base, 'nodes', `${nodeUuid}/history/${row.uuid}`)[0]];
  return out;
}

/**
 * Ironic's node history (1.78): `GET /v1/nodes/{node}/history` (oldest first; `detail`, `limit`,
 * `marker`, `sort_dir`) and `GET /v1/nodes/{node}/history/{event}`; mounted with `:ident`.
 */
export function nodeHistoryRouter(deps: NodeHistoryDependencies): Router {
  const router = Router({ mergeParams: true });
  const ident = (req: Request) => String((req.params as Record<string, string>).ident);
  router.use((req, _res, next) => {
    if (req.apiVersion.minor < MINOR_78_NODE_HISTORY) throw new NotFound();
    next();
  });

  /** The list; `forceDetail` for `/history/detail`. */
  const list =
    (forceDetail: boolean): RequestHandler =>
    async (req, res) => {
      const node = await findNode(req, deps.nodes, ident(req));
      const query = collectionQuery(req, {
        sortKeys: ['created_at'],
        defaultSortKey: 'created_at',
        fields: [],
      });
      const detail = forceDetail || query.detail;
      let marker: NodeHistoryRow | undefined;
      if (query.marker !== undefined) {
        if (!isUuid(query.marker))
          throw new InvalidParameterValue(`Expected UUID for marker: ${query.marker}`);
        marker = await deps.history.get(node.id, query.marker.toLowerCase());
        if (!marker) throw new NodeHistoryNotFound(query.marker);
      }
      const rows = await deps.history.list({
        nodeId: node.id,
        limit: query.limit,
        sortDir: query.sortDir,
        ...(marker ? { marker } : {}),
      });
      const base = baseUrl(req, deps.publicEndpoint);
      const fields = fieldsOf(req, detail);
      const body: Record<string, unknown> = {
        history: rows.map((row) => render(base, node.uuid, row, fields, detail)),
      };
      if (rows.length > 0 && rows.length === query.limit && req.query.limit !== undefined) {
        body.next = nextLink(base, `nodes/${ident(req)}/history`, req, rows.at(-1)!.uuid);
      }
      res.json(body);
    };

  router
    .route('/')
    .get(list(false))
    .all(methodNotAllowed(['GET']));
  // python-ironicclient's `node history list --long` asks for `/history/detail`, which Ironic
  // reads as an event named "detail" (404); Galvanic answers it as the detailed list.
  router
    .route('/detail')
    .get(list(true))
    .all(methodNotAllowed(['GET']));

  router
    .route('/:event')
    .get(async (req, res) => {
      const node = await findNode(req, deps.nodes, ident(req));
      const event = String(req.params.event);
      const row = isUuid(event) ? await deps.history.get(node.id, event.toLowerCase()) : undefined;
      if (!row) throw new NodeHistoryNotFound(event);
      const base = baseUrl(req, deps.publicEndpoint);
      res.json(render(base, node.uuid, row, fieldsOf(req, true), true));
    })
    .all(methodNotAllowed(['GET']));

  return router;
}
