import { isSecretKey, MASK, redactSecrets } from '@galvanic/logging';
import type { PatchOperation } from './json-patch';

/**
 * A client-given value as an error message may quote it back: every member whose name looks
 * secret masked, as the API shows stored values. Responses end up in proxies' and CLIs' logs.
 */
export function echoable(value: unknown): unknown {
  return redactSecrets(value);
}

/** A patch as an error message may quote it: values set at secret-named paths masked. */
export function echoablePatch(patch: unknown): unknown {
  if (!Array.isArray(patch)) return echoable(patch);
  return patch.map((operation: unknown) => {
    if (typeof operation !== 'object' || operation === null) return operation;
    const { path, value } = operation as Partial<PatchOperation>;
    const last = typeof path === 'string' ? (path.split('/').at(-1) ?? '') : '';
    if (value === undefined || !Object.hasOwn(operation, 'value')) return echoable(operation);
    return {
      ...(echoable(operation) as Record<string, unknown>),
      value: isSecretKey(last) ? MASK : echoable(value),
    };
  });
}
