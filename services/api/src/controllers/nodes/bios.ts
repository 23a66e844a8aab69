import { Router, type Request } from 'express';
import type { BiosSettingRow, BiosSettingStore, NodeStore } from '@galvanic/db';
import { BiosSettingNotFound, InvalidParameterValue } from '@galvanic/errors';
import { singleQueryParam } from '../../http/collection';
import { methodNotAllowed, notFound } from '../../http/errors';
import { baseUrl, ironicTimestamp, resourceLinks } from '../../http/links';
import { booleanArgument, hasLogicalNameCharacters, pythonRepr } from '../../resources/rules';
import { MINOR_40_BIOS_INTERFACE, MINOR_74_BIOS_REGISTRY } from '../../resources/versions';
import { findNode } from './identity';

export interface NodeBiosDependencies {
  nodes: NodeStore;
  biosSettings: BiosSettingStore;
  publicEndpoint: string | undefined;
}

/** A setting's fields by default. */
const DEFAULT_FIELDS = ['name', 'value'] as const;
/** With `?detail=True`, and always on one setting, from 1.74: the BIOS registry's fields too. */
const FIELDS_WITH_REGISTRY = [
  'name',
  'value',
  'attribute_type',
  'allowable_values',
  'lower_bound',
  'max_length',
  'min_length',
  'read_only',
  'reset_required',
  'unique',
  'upper_bound',
] as const;
const KNOWN_FIELDS: ReadonlySet<string> = new Set(FIELDS_WITH_REGISTRY);

/** Ironic's `allow_query_bios`: `detail`, `fields` and the registry fields from 1.74. */
function allowsRegistry(req: Request): boolean {
  return req.apiVersion.minor >= MINOR_74_BIOS_REGISTRY;
}

/**
 * The fields a list shows, checked as Ironic's `get_request_return_fields` checks them:
 * `detail` and `fields` only from 1.74, and not both.
 */
function listFields(req: Request): readonly string[] {
  const detailText = singleQueryParam(req, 'detail');
  const fieldsText = singleQueryParam(req, 'fields');
  const detail = detailText === undefined ? undefined : booleanArgument('detail', detailText);
  const fields = fieldsText?.split(',').map((f) => f.trim());
  if (detail !== undefined && !allowsRegistry(req)) {
    throw new InvalidParameterValue(
      `Invalid query parameter ?detail=${detail ? 'True' : 'False'} received.`,
    );
  }
  if (fields !== undefined && !allowsRegistry(req)) {
    throw new InvalidParameterValue(
      `Invalid query parameter ?fields=${pythonRepr(fields)} received.`,
    );
  }
  if (fields !== undefined && detail) {
    throw new InvalidParameterValue('Can not specify ?detail=True and fields in the same request.');
  }
  if (detail) return FIELDS_WITH_REGISTRY;
  if (fields === undefined) return DEFAULT_FIELDS;
  const bad = fields.filter((f) => !KNOWN_FIELDS.has(f));
  if (bad.length) throw new InvalidParameterValue(`Field(s) "${bad.join(', ')}" are not valid`);
  return fields;
}

/** The node the path names (the router is mounted with `:ident`). */
function identOf(req: Request): string {
  return String((req.params as Record<string, string>).ident);
}

/** A setting as Ironic shows it: its times, the fields asked for, and links under its node. */
function render(
  base: string,
  nodeIdent: string,
  row: BiosSettingRow,
  fields: readonly string[],
): Record<string, unknown> {
  const columns = row as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {
    created_at: ironicTimestamp(row.created_at),
    updated_at: ironicTimestamp(row.updated_at),
  };
  for (const field of fields) out[field] = columns[field] ?? null;
  out.links = resourceLinks(base, 'nodes', `${nodeIdent}/bios/${row.name}`);
  return out;
}

/**
 * Ironic's node BIOS API (1.40): `/v1/nodes/{node}/bios`, the node's BIOS settings as its
 * conductor last cached them, and `/v1/nodes/{node}/bios/{name}`; mounted with `:ident`.
 */
export function nodeBiosRouter(deps: NodeBiosDependencies): Router {
  const router = Router({ mergeParams: true });
  router.use((req, res, next) => {
    // Before 1.40 the node has no bios subresource: a plain 404, as Ironic's.
    if (req.apiVersion.minor < MINOR_40_BIOS_INTERFACE) notFound(req, res);
    else next();
  });

  router
    .route('/')
    .get(async (req, res) => {
      const ident = identOf(req);
      const node = await findNode(req, deps.nodes, ident);
      const fields = listFields(req);
      const base = baseUrl(req, deps.publicEndpoint);
      const settings = await deps.biosSettings.list(node.id);
      // Links name the node as the request did, as Ironic's do.
      res.json({ bios: settings.map((row) => render(base, ident, row, fields)) });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/:name')
    .get(async (req, res) => {
      const name = String(req.params.name);
      // Ironic's `args.name`, checked before the node is looked up.
      if (name.length > 255 || !hasLogicalNameCharacters(name))
        throw new InvalidParameterValue(`Expected name for setting_name: ${name}`);
      const node = await findNode(req, deps.nodes, identOf(req));
      const setting = await deps.biosSettings.get(node.id, name);
      if (!setting) throw new BiosSettingNotFound(node.uuid, name);
      const fields = allowsRegistry(req) ? FIELDS_WITH_REGISTRY : DEFAULT_FIELDS;
      const base = baseUrl(req, deps.publicEndpoint);
      res.json({ [name]: render(base, node.uuid, setting, fields) });
    })
    .all(methodNotAllowed(['GET']));

  return router;
}
