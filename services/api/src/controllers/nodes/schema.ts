import { BadRequest, InvalidParameterValue, NotAcceptable } from '@galvanic/errors';
import { pythonJsonDumps } from '@galvanic/errors';
import { MASK } from '@galvanic/logging';
import { booleanArgument, isUuid, uuidArgument } from '../../http/arguments';
import { echoable } from '../../http/echo';
import { pythonRepr } from '../../http/python-repr';
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

/**
 * Longest strings a node takes: Ironic's schema limits (description, resource_class), and the
 * width of the other string columns, so no value reaches the database only to be refused there.
 */
const MAX_LENGTHS: Readonly<Record<string, number>> = {
  description: 4096,
  resource_class: 80,
  driver: 255,
  conductor_group: 255,
  owner: 255,
  lessee: 255,
  shard: 255,
  bios_interface: 255,
  boot_interface: 255,
  console_interface: 255,
  deploy_interface: 255,
  inspect_interface: 255,
  management_interface: 255,
  network_interface: 255,
  power_interface: 255,
  raid_interface: 255,
  rescue_interface: 255,
  storage_interface: 255,
  vendor_interface: 255,
};

/** Fields Ironic's schema takes as a boolean or one of oslo's boolean words. */
const BOOLEAN_WORD_FIELDS: ReadonlySet<string> = new Set([
  'automated_clean',
  'maintenance',
  'protected',
  'retired',
]);

/** The type a node field has, if `field` is one a client may set. */
export function creatableFieldType(field: string): FieldType | undefined {
  return Object.hasOwn(CREATABLE_FIELDS, field) ? CREATABLE_FIELDS[field] : undefined;
}

/**
 * Ironic's checks of a node's values beyond their JSON types, on create (`name` is `node`) and on
 * a patched node (`patch`): string lengths, UUIDs, and oslo's boolean words turned into booleans.
 */
export function normalizeNodeValues(
  name: 'node' | 'patch',
  values: Record<string, unknown>,
): Record<string, unknown> {
  for (const [field, value] of Object.entries(values)) {
    if (typeof value !== 'string') continue;
    const max = Object.hasOwn(MAX_LENGTHS, field) ? MAX_LENGTHS[field]! : undefined;
    if (max !== undefined && value.length > max) {
      throw new InvalidParameterValue(`Schema error for ${name}: ${pythonRepr(value)} is too long`);
    }
    if (BOOLEAN_WORD_FIELDS.has(field)) values[field] = booleanArgument(field, value);
    if (field.endsWith('uuid')) uuidArgument(field, value);
  }
  return values;
}

/** Fields whose whole value is secret-bearing: quoted back as the mask, never as given. */
export const SECRET_BEARING: ReadonlySet<string> = new Set(['driver_info', 'instance_info']);

function typeError(field: string, value: unknown, type: string): BadRequest {
  const shown = SECRET_BEARING.has(field) ? MASK : echoable(value);
  return new BadRequest(
    `Schema error for node: ${pythonJsonDumps(shown)} is not of type '${type}'`,
  );
}

function checkType(field: string, value: unknown, type: FieldType): void {
  const nullable = type.startsWith('nullable-');
  if (value === null) {
    if (!nullable) throw typeError(field, value, type.replace('nullable-', ''));
    return;
  }
  const base = type.replace('nullable-', '');
  if (base === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) throw typeError(field, value, 'object');
  } else if (base === 'boolean') {
    // Ironic's schema takes oslo's boolean words too; normalizeNodeValues turns them into booleans.
    if (typeof value !== 'boolean' && typeof value !== 'string')
      throw typeError(field, value, 'boolean');
  } else if (typeof value !== 'string') {
    throw typeError(field, value, 'string');
  } else if (base === 'uuid' && !isUuid(value)) {
    uuidArgument(field, value);
  }
}

/**
 * Checks a create request as Ironic's JSON schema does, with its wording; a field the negotiated
 * microversion does not have yet is a 406, as in Ironic.
 */
export function checkCreateBody(body: unknown, minor: number): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest(
      `Schema error for node: ${pythonJsonDumps(echoable(body ?? null))} is not of type 'object'`,
    );
  }
  const fields = body as Record<string, unknown>;
  const unexpected = Object.keys(fields).filter((field) => creatableFieldType(field) === undefined);
  if (unexpected.length > 0) {
    const list = unexpected.map((f) => `'${f}'`).join(', ');
    throw new BadRequest(
      `Schema error for node: Additional properties are not allowed (${list} ${unexpected.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  }
  if (!Object.hasOwn(fields, 'driver'))
    throw new BadRequest("Schema error for node: 'driver' is a required property");
  for (const [field, value] of Object.entries(fields)) {
    checkType(field, value, creatableFieldType(field)!);
    const since = Object.hasOwn(NODE_FIELD_VERSIONS, field) ? NODE_FIELD_VERSIONS[field]! : 1;
    if (since > minor) {
      throw new NotAcceptable(
        `Request not acceptable. The minimal required API version should be 1.${since}`,
      );
    }
  }
  return normalizeNodeValues('node', { ...fields });
}
