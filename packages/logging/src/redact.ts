const SECRET_KEY = /(password|passwd|secret|token|kg_key|private_key|message_key|credential)/i;
export const MASK = '******';

/** Whether a field with this name holds a secret and must never be shown or logged. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A deep copy of `value` where every field whose name looks secret is replaced by the mask. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key] =
      isSecretKey(key) && inner !== null && inner !== undefined
        ? MASK
        : redactSecrets(inner, depth + 1);
  }
  return out;
}
