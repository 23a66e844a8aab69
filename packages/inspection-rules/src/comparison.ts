/** Python's comparison of JSON values, as Ironic's condition operators compare them. */

function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

const isNumeric = (v: unknown): v is number | boolean =>
  typeof v === 'number' || typeof v === 'boolean';

/** Python's `==`. */
export function pythonEquals(a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a === 'string') return a === b;
  if (Array.isArray(a)) {
    return (
      Array.isArray(b) && a.length === b.length && a.every((item, i) => pythonEquals(item, b[i]))
    );
  }
  if (typeof a === 'object' && b !== null && typeof b === 'object' && !Array.isArray(b)) {
    const ak = Object.keys(a);
    const bo = b as Record<string, unknown>;
    return (
      ak.length === Object.keys(bo).length &&
      ak.every(
        (k) => Object.hasOwn(bo, k) && pythonEquals((a as Record<string, unknown>)[k], bo[k]),
      )
    );
  }
  return false;
}

/** Python's ordering of two values: negative, zero or positive; throws Python's TypeError. */
export function pythonCompare(a: unknown, b: unknown, symbol: '<' | '>'): number {
  if (isNumeric(a) && isNumeric(b)) return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
      if (!pythonEquals(a[i], b[i])) return pythonCompare(a[i], b[i], symbol);
    }
    return a.length - b.length;
  }
  throw new TypeError(
    `'${symbol}' not supported between instances of '${pythonTypeName(a)}' and '${pythonTypeName(b)}'`,
  );
}

export { pythonTypeName };
