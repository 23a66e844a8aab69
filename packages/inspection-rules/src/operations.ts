/**
 * The operators of inspection rule conditions and actions, as Ironic names them, with the
 * arguments each takes (by name, in the order a deprecated list of `args` is read) and the
 * arguments whose strings are interpolated with the inspection data.
 */
export interface OperationSignature {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** Arguments interpolated outside a loop (inside a loop, every argument is). */
  readonly formatted: readonly string[];
}

const signature = (
  required: readonly string[],
  optional: readonly string[] = [],
  formatted: readonly string[] = [],
): OperationSignature => ({ required, optional, formatted });

const comparison = signature(['values'], ['force_strings'], ['values']);
const oneValue = signature(['value'], [], ['value']);
const pattern = signature(['value', 'regex'], [], ['value']);

/** Condition operators, in Ironic's order (its `OPERATORS`). */
export const CONDITION_OPERATORS: Readonly<Record<string, OperationSignature>> = {
  eq: comparison,
  lt: comparison,
  gt: comparison,
  'is-empty': oneValue,
  'in-net': signature(['address', 'subnet'], [], ['address', 'subnet']),
  matches: pattern,
  contains: pattern,
  'one-of': signature(['value'], ['values'], ['value']),
  'is-none': oneValue,
  'is-true': oneValue,
  'is-false': oneValue,
};

/** Action operators, in Ironic's order (its `ACTIONS`). */
export const ACTION_OPERATORS: Readonly<Record<string, OperationSignature>> = {
  fail: signature(['msg']),
  log: signature(['msg'], ['level'], ['msg']),
  'set-attribute': signature(['path', 'value'], [], ['value']),
  'extend-attribute': signature(['path', 'value'], ['unique'], ['value']),
  'del-attribute': signature(['path']),
  'set-capability': signature(['name', 'value'], [], ['value']),
  'unset-capability': signature(['name']),
  'add-trait': signature(['name']),
  'remove-trait': signature(['name']),
  'set-plugin-data': signature(['path', 'value'], [], ['value']),
  'extend-plugin-data': signature(['path', 'value'], ['unique'], ['value']),
  'unset-plugin-data': signature(['path']),
  'set-port-attribute': signature(['port_id', 'path', 'value'], [], ['value']),
  'extend-port-attribute': signature(['port_id', 'path', 'value'], ['unique'], ['value']),
  'del-port-attribute': signature(['port_id', 'path']),
  'api-call': signature(
    ['url'],
    ['headers', 'proxies', 'timeout', 'retries', 'backoff_factor'],
    ['url'],
  ),
};

/**
 * Ironic's actions Galvanic does not carry out: rules using them are refused when created, so no
 * stored rule can name them.
 */
export const UNSUPPORTED_ACTIONS: readonly string[] = [
  'set-port-attribute',
  'extend-port-attribute',
  'del-port-attribute',
  'api-call',
];

/** How a looping condition combines its results. */
export const MULTIPLE_MODES = ['any', 'all', 'first', 'last'] as const;
export type MultipleMode = (typeof MULTIPLE_MODES)[number];

/** The inspection phases rules run in; Ironic has only `main`. */
export const INSPECTION_PHASES: readonly string[] = ['main'];

/** Highest priority a user's rule may have. */
export const MAX_USER_PRIORITY = 9999;

/** A condition's operator without its `!` inversion, and whether it is inverted. */
export function parseInvertedOperator(op: string): { op: string; inverted: boolean } {
  const trimmed = op.trim();
  if ((trimmed.match(/!/g) ?? []).length > 1) {
    throw new Error(
      'Multiple exclamation marks are not allowed. To invert an operator, put one exclamation ' +
        'mark before it, e.g. !eq.',
    );
  }
  const inverted = trimmed.startsWith('!');
  return { op: trimmed.replace(/^!+/, '').trim(), inverted };
}

/**
 * An operation's `args` as named arguments: a dictionary as given, or the deprecated list read in
 * the signature's order (required first). Undefined for any other type.
 */
export function namedArguments(
  sig: OperationSignature,
  args: unknown,
): Record<string, unknown> | undefined {
  if (Array.isArray(args)) {
    if (args.length < sig.required.length) {
      throw new Error(
        `Not enough arguments provided. Missing: ${sig.required.slice(args.length).join(', ')}`,
      );
    }
    const names = [...sig.required, ...sig.optional];
    return Object.fromEntries(args.slice(0, names.length).map((value, i) => [names[i]!, value]));
  }
  if (args !== null && typeof args === 'object') return { ...(args as Record<string, unknown>) };
  return undefined;
}
