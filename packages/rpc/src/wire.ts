import { isWireError, type WireError } from '@galvanic/errors';

/** AMQP header names (also used by the in-process transport, so both carry the same metadata). */
export const HEADER_REQUEST_ID = 'x-request-id';
export const HEADER_CALLER = 'x-caller';
export const HEADER_DEADLINE = 'x-deadline';
export const HEADER_ISSUED_AT = 'x-issued-at';
/** The contract version (`major.minor`) the caller speaks; see ContractVersion. */
export const HEADER_CONTRACT_VERSION = 'x-contract-version';
/** HMAC-SHA256 of a call or reply (see MessageAuthenticator); absent when no key is configured. */
export const HEADER_MAC = 'x-mac';

/** The queue a conductor host consumes from; also the routing key callers publish with. */
export function conductorQueueName(namespace: string, host: string): string {
  return `${namespace}.conductor.${host}`;
}

export interface RequestBody {
  method: string;
  args: unknown;
}

export type ReplyBody = { result: unknown } | { error: WireError };

export function encodeRequest(method: string, args: unknown): string {
  return JSON.stringify({ method, args } satisfies RequestBody);
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

export function decodeRequest(text: string): Decoded<RequestBody> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `request body is not JSON (${(error as Error).message})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'request body is not a JSON object' };
  }
  const { method, args } = parsed as Record<string, unknown>;
  if (typeof method !== 'string') return { ok: false, reason: 'request has no method name' };
  return { ok: true, value: { method, args: args ?? {} } };
}

export function encodeResult(result: unknown): string {
  return JSON.stringify({ result: result ?? null });
}

export function encodeError(error: WireError): string {
  return JSON.stringify({
    error: { kind: error.kind, status: error.status, message: error.message },
  });
}

export function decodeReply(text: string): Decoded<ReplyBody> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `reply is not JSON (${(error as Error).message})` };
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return { ok: false, reason: 'reply is not a JSON object' };
  }
  const record = parsed as Record<string, unknown>;
  if ('error' in record) {
    return isWireError(record.error)
      ? { ok: true, value: { error: record.error } }
      : { ok: false, reason: 'reply carries an error of unknown shape' };
  }
  if ('result' in record) return { ok: true, value: { result: record.result } };
  return { ok: false, reason: 'reply has neither result nor error' };
}
