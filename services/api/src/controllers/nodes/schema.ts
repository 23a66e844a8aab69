import { BadRequest, NotAcceptable } from '@galvanic/errors';
import { pythonJsonDumps } from '@galvanic/errors';
import { NODE_FIELD_VERSIONS } from './fields';

type FieldType =
  | 'string'
  | 'nullable-string'
  | 'object'
  | 'boolean'
  | 'nullable-boolean'
  | 'uuid'
  | 'nullable-uuid';

/** Fields a client may give when creating a node, with their JSON types. */
export const CREATABLE_FIELDS: Readonly<Record<string, FieldType>> = {
  uuid: 'uuid',
  name: 'nullable-string',
  driver: 'string',
  driver_info: 'object',
  extra: 'object',
  properties: 'object',
  instance_info: 'object',
  network_data: 'object',
  instance_uuid: 'nullable-uuid',
  chassis_uuid: 'nullable-uuid',
  conductor_group: 'string',
  owner: 'nullable-string',
  lessee: 'nullable-string',
  description: 'nullable-string',
  resource_class: 'nullable-string',
  shard: 'nullable-string',
  automated_clean: 'nullable-boolean',
  retired: 'boolean',
  retired_reason: 'nullable-string',
  bios_interface: 'nullable-string',
  boot_interface: 'nullable-string',
  console_interface: 'nullable-string',
  deploy_interface: 'nullable-string',
  inspect_interface: 'nullable-string',
  management_interface: 'nullable-string',
  network_interface: 'nullable-string',
  power_interface: 'nullable-string',
  raid_interface: 'nullable-string',
  rescue_interface: 'nullable-string',
  storage_interface: 'nullable-string',
  vendor_interface: 'nullable-string',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function typeError(value: unknown, type: string): BadRequest {
  return new BadRequest(
    `Schema error for node: ${pythonJsonDumps(value)} is not of type '${type}'`,
  );
}

function checkType(field: string, value: unknown, type: FieldType): void {
  const nullable = type.startsWith('nullable-');
  if (value === null) {
    if (!nullable) throw typeError(value, type.replace('nullable-', ''));
    return;
  }
  const base = type.replace('nullable-', '');
  if (base === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, 'object');
  } else if (base === 'boolean') {
    if (typeof value !== 'boolean') throw typeError(value, 'boolean');
  } else if (typeof value !== 'string') {
    throw typeError(value, 'string');
  } else if (base === 'uuid' && !UUID.test(value)) {
    throw new BadRequest(
      `Schema error for node: Expected a UUID for ${field} but received ${value}.`,
    );
  }
}

/**
 * Checks a create request as Ironic's JSON schema does, with its wording; a field the negotiated
 * microversion does not have yet is a 406, as in Ironic.
 */
export function checkCreateBody(body: unknown, minor: number): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest(
      `Schema error for node: ${pythonJsonDumps(body ?? null)} is not of type 'object'`,
    );
  }
  const fields = body as Record<string, unknown>;
  const unexpected = Object.keys(fields).filter((field) => !(field in CREATABLE_FIELDS));
  if (unexpected.length > 0) {
    const list = unexpected.map((f) => `'${f}'`).join(', ');
    throw new BadRequest(
      `Schema error for node: Additional properties are not allowed (${list} ${unexpected.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  }
  if (!('driver' in fields))
    throw new BadRequest("Schema error for node: 'driver' is a required property");
  for (const [field, value] of Object.entries(fields)) {
    checkType(field, value, CREATABLE_FIELDS[field]!);
    const since = NODE_FIELD_VERSIONS[field] ?? 1;
    if (since > minor) {
      throw new NotAcceptable(
        `Request not acceptable. The minimal required API version should be 1.${since}`,
      );
    }
  }
  return fields;
}
