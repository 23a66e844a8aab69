import type { ServerResponse } from 'node:http';
import type { Reply } from './context';
import { serializeWithEtag } from './etag';
import type { RedfishError } from '../errors';

const COMMON_HEADERS = {
  'OData-Version': '4.0',
  'Cache-Control': 'no-cache',
} as const;

/** `weakEtags`: show ETags as `W/"…"` (see etag.ts). */
export function writeReply(
  res: ServerResponse,
  reply: Reply,
  headOnly: boolean,
  weakEtags = false,
): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...COMMON_HEADERS, ...reply.headers };
  let payload: string | undefined;
  if (reply.body !== undefined) {
    if (reply.etag) {
      const tagged = serializeWithEtag(reply.body, reply.etagSource, weakEtags);
      payload = tagged.json;
      headers['ETag'] = tagged.etag;
    } else {
      payload = JSON.stringify(reply.body);
    }
    headers['Content-Type'] = 'application/json; charset=utf-8';
  } else if (reply.text) {
    payload = reply.text.data;
    headers['Content-Type'] = reply.text.contentType;
  }
  if (payload !== undefined) headers['Content-Length'] = Buffer.byteLength(payload);
  else if (reply.status !== 204) headers['Content-Length'] = 0;
  res.writeHead(reply.status, headers);
  res.end(headOnly ? undefined : payload);
}

export function errorReply(error: RedfishError): Reply {
  return { status: error.status, body: error.body(), headers: error.headers };
}
