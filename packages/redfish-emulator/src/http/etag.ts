/**
 * ETags are a hash of the resource's JSON, so any change of what a client sees changes the ETag
 * without per-resource bookkeeping. They are strong; `If-Match` compares them strongly (RFC 9110
 * 13.1.1), so a weak `W/"..."` never matches.
 */
import { createHash } from 'node:crypto';
import { RedfishError, baseMessage } from '../errors';

function etagOfJson(json: string): string {
  const digest = createHash('sha1').update(json).digest('base64url');
  return `"${digest.slice(0, 16)}"`;
}

export function etagOf(body: object): string {
  return etagOfJson(JSON.stringify(body));
}

/**
 * The JSON text of the body with its `@odata.etag` appended, and that ETag; the body is
 * serialized once.
 */
export function serializeWithEtag(body: object): { json: string; etag: string } {
  const json = JSON.stringify(body);
  const etag = etagOfJson(json);
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
