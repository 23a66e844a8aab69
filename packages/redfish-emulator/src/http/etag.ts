/**
 * ETags are a hash of the resource's JSON, so any change of what a client sees changes the ETag
 * without per-resource bookkeeping. `If-Match` compares them strongly (RFC 9110 13.1.1), so a weak
 * `W/"..."` never matches. A service may be told to show them weak, as some BMCs do: a client
 * must then send the strong form back (what sushy does after a 412).
 */
import { createHash } from 'node:crypto';
import { RedfishError, baseMessage } from '../errors';

function etagOfJson(json: string): string {
  const digest = createHash('sha1').update(json).digest('base64url');
  return `"${digest.slice(0, 16)}"`;
}

/** How an ETag is shown in `ETag` and `@odata.etag`. */
export function presentEtag(etag: string, weak: boolean): string {
  return weak ? `W/${etag}` : etag;
}

export function etagOf(body: object): string {
  return etagOfJson(JSON.stringify(body));
}

/**
 * The JSON text of the body with its `@odata.etag` appended, and that ETag (of `etagSource` when
 * given, else of the body, then serialized once).
 */
export function serializeWithEtag(
  body: object,
  etagSource: object | undefined,
  weak: boolean,
): { json: string; etag: string } {
  const json = JSON.stringify(body);
  const etag = presentEtag(etagSource ? etagOf(etagSource) : etagOfJson(json), weak);
  const member = `"@odata.etag":${JSON.stringify(etag)}`;
  return { json: json === '{}' ? `{${member}}` : `${json.slice(0, -1)},${member}}`, etag };
}

/**
 * Throws 412 when `If-Match` names none of the current ETag (or `*`), and 428 when it is absent
 * but required.
 */
export function checkIfMatch(
  ifMatch: string | undefined,
  currentEtag: string,
  required: boolean,
): void {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    if (required) throw new RedfishError(428, baseMessage('PreconditionRequired'));
    return;
  }
  const candidates = ifMatch.split(',').map((tag) => tag.trim());
  if (candidates.includes('*') || candidates.includes(currentEtag)) return;
  throw new RedfishError(412, baseMessage('PreconditionFailed'));
}
