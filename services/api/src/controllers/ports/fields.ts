import type { PortRow } from '@galvanic/db';
import { NotAcceptable } from '@galvanic/errors';
import { ironicTimestamp, resourceLinks } from '../../http/links';

/** Every port field of the API, with the microversion (1.N) that introduced it. */
export const PORT_FIELD_VERSIONS: Readonly<Record<string, number>> = {
  uuid: 1,
  address: 1,
  node_uuid: 1,
  extra: 1,
  created_at: 1,
  updated_at: 1,
  links: 1,
  internal_info: 18,
  local_link_connection: 19,
  pxe_enabled: 19,
  portgroup_uuid: 24,
  physical_network: 34,
  is_smartnic: 53,
};

export const ALL_PORT_FIELDS: readonly string[] = Object.keys(PORT_FIELD_VERSIONS);

/** `local_link_connection.network_type` came later than the field itself. */
export const NETWORK_TYPE_VERSION = 64;

/** The fields of a port list without `detail` or `fields`. */
export const DEFAULT_LIST_FIELDS: readonly string[] = ['uuid', 'address', 'links'];

/** Fields the negotiated microversion shows. */
export function fieldsAt(minor: number): string[] {
  return ALL_PORT_FIELDS.filter((field) => PORT_FIELD_VERSIONS[field]! <= minor);
}

/**
 * Refuses, with Ironic's bare 406, naming a field (to show, sort by or set) that the negotiated
 * microversion does not have yet.
 */
export function checkFieldsAllowed(fields: Iterable<string>, minor: number): void {
  for (const field of fields) {
    const since = Object.hasOwn(PORT_FIELD_VERSIONS, field) ? PORT_FIELD_VERSIONS[field]! : 1;
    if (since > minor) throw new NotAcceptable();
  }
}

function fieldValue(row: PortRow, field: string, base: string): unknown {
  switch (field) {
    case 'links':
      return resourceLinks(base, 'ports', row.uuid);
    case 'portgroup_uuid':
      return null;
    case 'created_at':
      return ironicTimestamp(row.created_at);
    case 'updated_at':
      return ironicTimestamp(row.updated_at);
  }
  return (row as unknown as Record<string, unknown>)[field] ?? null;
}

/** The port as the API shows it: the given fields, in that order. */
export function portToApi(
  row: PortRow,
  fields: readonly string[],
  base: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = fieldValue(row, field, base);
  return out;
}
