const SECRET_KEY = /(password|passwd|secret|token|kg_key|private_key|message_key|credential)/i;
export const MASK = '******';
/** Deeper than this a value is masked whole: fail closed rather than show what was not looked at. */
const MAX_DEPTH = 32;

/** Whether a field with this name holds a secret and must never be shown or logged. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * `value` with every field whose name looks secret replaced by the mask. Never changes `value`:
 * what holds a secret is copied, and what holds none is returned as it is (rendering a thousand
 * nodes masks their maps on every list, and nearly none of them hold a secret).
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (depth > MAX_DEPTH) return MASK;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const redacted = redactSecrets(item, depth + 1);
      if (redacted !== item) (copy ??= [...value])[index] = redacted;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const inner = record[key];
    const redacted =
      isSecretKey(key) && inner !== null && inner !== undefined
        ? MASK
        : redactSecrets(inner, depth + 1);
    if (redacted === inner) continue;
    // defineProperty keeps a stored `__proto__` key as data.
    copy ??= copyOwnFields(record);
    Object.defineProperty(copy, key, {
      value: redacted,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy ?? value;
}

function copyOwnFields(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record));
}
