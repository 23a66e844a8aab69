import { InvalidParameterValue } from '@galvanic/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRUE_WORDS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_WORDS = ['0', 'f', 'false', 'off', 'n', 'no'];

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** Ironic's `args.uuid`: a UUID, or its 400 naming the argument. */
export function uuidArgument(name: string, value: string): string {
  if (!isUuid(value)) throw new InvalidParameterValue(`Expected UUID for ${name}: ${value}`);
  return value;
}

/** Ironic's `args.boolean`: a boolean given as JSON or as one of oslo's words. */
export function booleanArgument(name: string, value: string | boolean): boolean {
  if (typeof value === 'boolean') return value;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  const acceptable = [...TRUE_WORDS, ...FALSE_WORDS]
    .sort()
    .map((w) => `'${w}'`)
    .join(', ');
  throw new InvalidParameterValue(
    `Invalid ${name}: Unrecognized value '${value}', acceptable values are: ${acceptable}`,
  );
}
