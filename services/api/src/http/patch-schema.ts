import { InvalidParameterValue, PatchError } from '@galvanic/errors';
import { echoable } from './echo';
import { RESERVED_KEYS, type PatchOperation } from './json-patch';
import { pythonRepr } from '../resources/rules';

const OPERATIONS: readonly string[] = ['add', 'replace', 'remove'];
const MEMBERS: readonly string[] = ['op', 'path', 'value'];
/** Ironic's pattern for a patch path: word characters and dashes, no JSON pointer escapes. */
const PATH = /^(\/[\w-]+)+$/;
/** From API 1.98: keys may hold `~` and `/` too, written as the JSON pointer escapes `~0`, `~1`. */
const ESCAPED_PATH = /^(\/([\w-]|~[01])+)+$/;

function schemaError(message: string): InvalidParameterValue {
  return new InvalidParameterValue(`Schema error for patch: ${message}`);
}

/**
 * Checks a patch document against Ironic's patch schema (`ironic.common.args.patch`), with its
 * wording: a list of objects with `op` one of add, replace and remove, a word `path`, and an
 * optional `value`, nothing else. A path naming a reserved key is refused as well. With
 * `allowEscapes` (API 1.98) a path may carry the JSON pointer escapes `~0` and `~1`.
 */
export function checkPatchDocument(patch: unknown, allowEscapes = false): PatchOperation[] {
  if (!Array.isArray(patch))
    throw schemaError(`${pythonRepr(echoable(patch))} is not of type 'array'`);
  for (const operation of patch as unknown[]) {
    if (typeof operation !== 'object' || operation === null || Array.isArray(operation))
      throw schemaError(`${pythonRepr(echoable(operation))} is not of type 'object'`);
    const op = operation as Record<string, unknown>;
    const extra = Object.keys(op).filter((key) => !MEMBERS.includes(key));
    if (extra.length > 0) {
      const list = extra.map((key) => pythonRepr(key)).join(', ');
      throw schemaError(
        `Additional properties are not allowed (${list} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
      );
    }
    for (const key of ['op', 'path']) {
      if (!Object.hasOwn(op, key)) throw schemaError(`'${key}' is a required property`);
      if (typeof op[key] !== 'string')
        throw schemaError(`${pythonRepr(op[key])} is not of type 'string'`);
    }
    const path = op.path as string;
    if (!(allowEscapes ? ESCAPED_PATH : PATH).test(path))
      throw schemaError(`${pythonRepr(path)} does not match '^(/[\\\\w-]+)+$'`);
    const reserved = path.split('/').find((token) => RESERVED_KEYS.has(token));
    if (reserved !== undefined)
      throw schemaError(`${pythonRepr(path)} goes through the reserved name '${reserved}'`);
    if (!OPERATIONS.includes(op.op as string))
      throw schemaError(`${pythonRepr(op.op)} is not one of ['add', 'replace', 'remove']`);
  }
  return patch as PatchOperation[];
}

/** The error jsonpatch gives Ironic for an add or replace without a value. */
export function checkOperationHasValue(operation: PatchOperation): void {
  if (operation.op !== 'remove' && !Object.hasOwn(operation, 'value')) {
    throw new PatchError(
      JSON.stringify(echoable(operation)),
      "The operation does not contain a 'value' member",
    );
  }
}
