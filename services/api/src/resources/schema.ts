import { InvalidParameterValue } from '@galvanic/errors';
import { echoable } from '../http/echo';
import type { CompiledResource, JsonType } from './declaration';
import { pythonRepr, uuidArgument } from './rules';

function jsonType(value: unknown): JsonType | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'number') return Number.isInteger(value) ? 'integer' : 'other';
  return type === 'string' || type === 'boolean' || type === 'object' ? type : 'other';
}

function schemaError(name: string, message: string): InvalidParameterValue {
  return new InvalidParameterValue(`Schema error for ${name}: ${message}`);
}

/**
 * Checks a document against the resource's declared schema as Ironic's jsonschema validation
 * does, with its wording: an object, no unknown members, the required ones, each member's JSON
 * types, string lengths, then UUID members in `args.uuid`'s words. `name` is what the messages
 * call the document (the resource for a create body, `patch` for a patched resource); `allowed`
 * is the members it may have.
 */
export function checkSchema(
  resource: CompiledResource,
  name: string,
  body: unknown,
  allowed: readonly string[],
): Record<string, unknown> {
  if (jsonType(body) !== 'object')
    throw schemaError(name, `${pythonRepr(echoable(body))} is not of type 'object'`);
  const fields = body as Record<string, unknown>;
  const unexpected = Object.keys(fields).filter((field) => !allowed.includes(field));
  if (unexpected.length > 0) {
    const list = unexpected.map((f) => pythonRepr(f)).join(', ');
    throw schemaError(
      name,
      `Additional properties are not allowed (${list} ${unexpected.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  }
  for (const field of resource.required) {
    if (!Object.hasOwn(fields, field)) throw schemaError(name, `'${field}' is a required property`);
  }
  for (const [field, value] of Object.entries(fields)) {
    const types = resource.fields[field]?.types;
    if (types && !types.includes(jsonType(value) as JsonType)) {
      const expected = types.map((t) => `'${t}'`).join(', ');
      throw schemaError(name, `${pythonRepr(echoable(value))} is not of type ${expected}`);
    }
  }
  for (const [field, value] of Object.entries(fields)) {
    const max = resource.fields[field]?.maxLength;
    if (max !== undefined && typeof value === 'string' && value.length > max)
      throw schemaError(name, `${pythonRepr(value)} is too long`);
  }
  for (const [field, value] of Object.entries(fields)) {
    if (resource.fields[field]?.uuid && typeof value === 'string') uuidArgument(field, value);
  }
  return fields;
}
