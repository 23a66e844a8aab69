import { BadRequest, InvalidParameterValue, NotAcceptable } from '@galvanic/errors';
import { MASK } from '@galvanic/logging';
import { echoable } from '../../http/echo';
import { fieldSince, type FieldDeclaration } from '../../resources/declaration';
import {
  booleanArgument,
  isUuid,
  pythonJsonDumps,
  pythonRepr,
  uuidArgument,
} from '../../resources/rules';
import { NODE_RESOURCE } from './resource';

type FieldType =
  | 'string'
  | 'nullable-string'
  | 'object'
  | 'boolean'
  | 'nullable-boolean'
  | 'uuid'
  | 'nullable-uuid';

/** A declared field's type in the vocabulary of the node's checks. */
function fieldTypeOf(declared: FieldDeclaration): FieldType {
  const types = declared.types ?? [];
  const nullable = types.includes('null') ? 'nullable-' : '';
  if (types.includes('object')) return 'object';
  if (types.includes('boolean')) return `${nullable}boolean` as FieldType;
  return `${nullable}${declared.uuid ? 'uuid' : 'string'}` as FieldType;
}

/** Fields a client may give when creating a node, with their types; built once. */
const CREATABLE_FIELDS: ReadonlyMap<string, FieldType> = new Map(
  NODE_RESOURCE.creatable.map((field) => [field, fieldTypeOf(NODE_RESOURCE.fields[field]!)]),
);

/**
 * Longest strings a node takes: Ironic's schema limits (description, resource_class), and the
 * width of the other string columns, so no value reaches the database only to be refused there.
 */
const MAX_LENGTHS: ReadonlyMap<string, number> = new Map(
  Object.entries(NODE_RESOURCE.fields)
    .filter(([, field]) => field.maxLength !== undefined)
    .map(([name, field]) => [name, field.maxLength!]),
);

/** Fields Ironic's schema takes as a boolean or one of oslo's boolean words. */
const BOOLEAN_WORD_FIELDS: ReadonlySet<string> = new Set(
  Object.entries(NODE_RESOURCE.fields)
    .filter(([, field]) => field.types?.includes('boolean'))
    .map(([name]) => name),
);

/** The type a node field has, if `field` is one a client may set. */
export function creatableFieldType(field: string): FieldType | undefined {
  return CREATABLE_FIELDS.get(field);
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
    const max = MAX_LENGTHS.get(field);
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
    const since = fieldSince(NODE_RESOURCE, field);
    if (since > minor) {
      throw new NotAcceptable(
        `Request not acceptable. The minimal required API version should be 1.${since}`,
      );
    }
  }
  return normalizeNodeValues('node', { ...fields });
}
