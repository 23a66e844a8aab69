import { InvalidParameterValue, pythonJsonDumps } from '@galvanic/errors';

/**
 * The argument rules every resource shares, as Ironic and oslo apply them: UUIDs, oslo's boolean
 * words, logical names, and the Python quoting Ironic's messages use.
 */

export { pythonJsonDumps };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** oslo.utils' `strutils.TRUE_STRINGS` and `FALSE_STRINGS`. */
export const TRUE_WORDS: readonly string[] = ['1', 't', 'true', 'on', 'y', 'yes'];
export const FALSE_WORDS: readonly string[] = ['0', 'f', 'false', 'off', 'n', 'no'];

/** RFC 3986 unreserved characters, Ironic's rule for logical names. */
const LOGICAL_NAME = /^[A-Za-z0-9._~-]+$/;
/** Longest logical name Ironic accepts. */
const MAX_NAME_LENGTH = 255;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** Ironic's `args.uuid`: a UUID, or its 400 naming the argument. */
export function uuidArgument(name: string, value: string): string {
  if (!isUuid(value)) throw new InvalidParameterValue(`Expected UUID for ${name}: ${value}`);
  return value;
}

/** One of oslo's boolean words as a boolean; undefined for any other text. */
export function booleanWord(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return undefined;
}

/** Ironic's `args.boolean`: a boolean given as JSON or as one of oslo's words. */
export function booleanArgument(name: string, value: string | boolean): boolean {
  if (typeof value === 'boolean') return value;
  const parsed = booleanWord(value);
  if (parsed !== undefined) return parsed;
  const acceptable = [...TRUE_WORDS, ...FALSE_WORDS]
    .sort()
    .map((w) => `'${w}'`)
    .join(', ');
  throw new InvalidParameterValue(
    `Invalid ${name}: Unrecognized value '${value}', acceptable values are: ${acceptable}`,
  );
}

/** Whether `text` has only the characters of a logical name (a UUID has them too). */
export function hasLogicalNameCharacters(text: string): boolean {
  return LOGICAL_NAME.test(text);
}

/** Ironic's rule for a resource's `name`: unreserved characters, not too long, not a UUID. */
export function isValidLogicalName(text: string): boolean {
  return text.length <= MAX_NAME_LENGTH && LOGICAL_NAME.test(text) && !isUuid(text);
}

/** A value as Python's repr shows it, which is how Ironic's schema messages quote values. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

/**
 * A request value as Ironic's messages show it (Python's `%s`): a string as it is, anything else
 * as Python writes it. String() cannot be used on what a client sent: it throws on a parsed
 * object whose `toString` key is data (`{"toString": "x"}`), which made a 500 of a bad request.
 */
export function shownValue(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}
