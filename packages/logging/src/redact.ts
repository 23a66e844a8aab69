const SECRET_KEY = /(password|passwd|secret|token|kg_key|private_key|message_key|credential)/i;
export const MASK = '******';
/** Deeper than this a value is masked whole: fail closed rather than show what was not looked at. */
const MAX_DEPTH = 32;

/** Whether a field with this name holds a secret and must never be shown or logged. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A deep copy of `value` where every field whose name looks secret is replaced by the mask. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (depth > MAX_DEPTH) return MASK;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  // fromEntries defines own properties, so a stored `__proto__` key stays data.
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
      key,
      isSecretKey(key) && inner !== null && inner !== undefined
        ? MASK
        : redactSecrets(inner, depth + 1),
    ]),
  );
}
