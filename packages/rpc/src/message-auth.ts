import { createHmac, timingSafeEqual } from 'node:crypto';

/** The smallest key accepted: a shorter one is too easy to guess to authenticate anything. */
export const MIN_MESSAGE_KEY_BYTES = 32;

/** What a call's MAC covers: everything a receiver acts on. The body carries the method name. */
export interface SignedCallFields {
  /** The queue the call is addressed to (namespace and conductor host). */
  destination: string;
  /** Unique per message sent (the AMQP correlation id), so no two calls share a MAC. */
  messageId: string;
  body: string;
  requestId: string;
  caller: string;
  deadline: number;
  issuedAt: number;
  contractVersion: string;
}

/**
 * HMAC-SHA256 over RPC envelopes with a key every service of a deployment shares. A call's MAC
 * covers its destination, message id, body (and so its method), request id, caller, deadline,
 * issue time and contract version; a reply's MAC covers its body and the MAC of the call it answers, so a reply can be
 * neither forged nor moved onto another call. MACs are compared in constant time.
 */
export class MessageAuthenticator {
  // An ES private field: util.inspect and JSON never show it.
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.byteLength < MIN_MESSAGE_KEY_BYTES) {
      throw new Error(`An RPC message key needs at least ${MIN_MESSAGE_KEY_BYTES} bytes.`);
    }
    this.#key = Buffer.from(key);
  }

  signCall(call: SignedCallFields): string {
    return this.mac([
      'galvanic-rpc-call/2',
      call.destination,
      call.messageId,
      call.requestId,
      call.caller,
      String(call.deadline),
      String(call.issuedAt),
      call.contractVersion,
      call.body,
    ]);
  }

  verifyCall(call: SignedCallFields, mac: string | undefined): boolean {
    return mac !== undefined && sameMac(this.signCall(call), mac);
  }

  signReply(callMac: string, body: string): string {
    return this.mac(['galvanic-rpc-reply/1', callMac, body]);
  }

  verifyReply(callMac: string, body: string, mac: string | undefined): boolean {
    return mac !== undefined && sameMac(this.signReply(callMac, body), mac);
  }

  /** A JSON array is an unambiguous encoding: no field can run into the next. */
  private mac(parts: readonly string[]): string {
    return createHmac('sha256', this.#key).update(JSON.stringify(parts)).digest('base64');
  }
}

function sameMac(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'base64');
  const b = Buffer.from(given, 'base64');
  // Lengths differ only for malformed input; the comparison of equal lengths is constant-time.
  return a.length === b.length && timingSafeEqual(a, b);
}
