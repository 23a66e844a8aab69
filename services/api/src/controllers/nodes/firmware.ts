import { Router, type Request } from 'express';
import type { FirmwareComponentRow, FirmwareComponentStore, NodeStore } from '@galvanic/db';
import { InvalidParameterValue, NotFound } from '@galvanic/errors';
import { singleQueryParam } from '../../http/collection';
import { methodNotAllowed } from '../../http/errors';
import { ironicTimestamp } from '../../http/links';
import { booleanArgument } from '../../resources/rules';
import { MINOR_86_FIRMWARE_INTERFACE, MINOR_114_FIRMWARE_IDENTITY } from '../../resources/versions';
import { findNode } from './identity';

export interface NodeFirmwareDependencies {
  nodes: NodeStore;
  firmware: FirmwareComponentStore;
}

const DEFAULT_FIELDS = [
  'component',
  'initial_version',
  'current_version',
  'last_version_flashed',
] as const;
const IDENTITY_FIELDS = ['vendor', 'model', 'serial_number'] as const;

/** The fields a request shows: Ironic's defaults (with 1.114's identity) or those it asks for. */
function fieldsOf(req: Request): readonly string[] {
  const identity = req.apiVersion.minor >= MINOR_114_FIRMWARE_IDENTITY;
  const known: readonly string[] = identity
    ? [...DEFAULT_FIELDS, ...IDENTITY_FIELDS, 'created_at', 'updated_at']
    : [...DEFAULT_FIELDS, 'created_at', 'updated_at'];
  const fieldsText = singleQueryParam(req, 'fields');
  const detailText = singleQueryParam(req, 'detail');
  const detail = detailText === undefined ? false : booleanArgument('detail', detailText);
  if (fieldsText === undefined) {
    if (detail) return known;
    return identity ? [...DEFAULT_FIELDS, ...IDENTITY_FIELDS] : DEFAULT_FIELDS;
  }
  if (detail)
    throw new InvalidParameterValue('Can not specify ?detail=True and fields in the same request.');
  const fields = fieldsText.split(',').map((f) => f.trim());
  const early = fields.filter((f) => (IDENTITY_FIELDS as readonly string[]).includes(f));
  if (!identity && early.length > 0) {
    throw new InvalidParameterValue(
      `Fields ${early.sort().join(', ')} are not allowed in this API version. They require at ` +
        `least API version 1.${MINOR_114_FIRMWARE_IDENTITY}.`,
    );
  }
  const bad = fields.filter((f) => !known.includes(f));
  if (bad.length) throw new InvalidParameterValue(`Field(s) "${bad.join(', ')}" are not valid`);
  return fields;
}

function render(row: FirmwareComponentRow, fields: readonly string[]): Record<string, unknown> {
  const columns = row as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = columns[field] ?? null;
    out[field] = value instanceof Date ? ironicTimestamp(value) : value;
  }
  return out;
}

/**
 * Ironic's `GET /v1/nodes/{node}/firmware` (1.86): the firmware components the node's firmware
 * interface last reported, with vendor, model and serial number from 1.114; mounted with `:ident`.
 */
export function nodeFirmwareRouter(deps: NodeFirmwareDependencies): Router {
  const router = Router({ mergeParams: true });
  router
    .route('/')
    .get(async (req, res) => {
      if (req.apiVersion.minor < MINOR_86_FIRMWARE_INTERFACE)
        throw new NotFound('The API version does not allow node firmware');
      const node = await findNode(
        req,
        deps.nodes,
        String((req.params as Record<string, string>).ident),
      );
      const fields = fieldsOf(req);
      const rows = await deps.firmware.list(node.id);
      res.json({ firmware: rows.map((row) => render(row, fields)) });
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
