/**
 * RMCP and IPMI session wrapper framing (IPMI 2.0 spec sections 13.1–13.6).
 * Pure byte layout only: authentication codes and encryption are computed by the session layer.
 */

export const RMCP_VERSION = 0x06;
export const RMCP_SEQ_NO_ACK = 0xff;
export const RMCP_CLASS_IPMI = 0x07;
export const RMCP_CLASS_ASF = 0x06;

export const AuthType = {
  None: 0x00,
  Md2: 0x01,
  Md5: 0x02,
  Password: 0x04,
  Oem: 0x05,
  RmcpPlus: 0x06,
} as const;
export type AuthTypeValue = (typeof AuthType)[keyof typeof AuthType];

export const PayloadType = {
  Ipmi: 0x00,
  OpenSessionRequest: 0x10,
  OpenSessionResponse: 0x11,
  Rakp1: 0x12,
  Rakp2: 0x13,
  Rakp3: 0x14,
  Rakp4: 0x15,
} as const;

const RMCP_HEADER_LEN = 4;
/** Offset of the session header (auth type byte) within a datagram. */
export const SESSION_HEADER_OFFSET = RMCP_HEADER_LEN;
const NEXT_HEADER_IPMI = 0x07;

export interface V15Frame {
  readonly authType: number;
  readonly sessionSeq: number;
  readonly sessionId: number;
  /** 16 bytes when authType is not None. */
  readonly authCode?: Uint8Array;
  readonly payload: Uint8Array;
}

export interface V20FrameHeader {
  readonly payloadType: number;
  readonly encrypted: boolean;
  readonly authenticated: boolean;
  readonly sessionId: number;
  readonly sessionSeq: number;
}

export interface V20Frame extends V20FrameHeader {
  /** Payload as carried on the wire (still encrypted when `encrypted`). */
  readonly payload: Buffer;
  /** Bytes after the payload: integrity pad, pad length, next header and auth code. */
  readonly trailer: Buffer;
  /** The whole datagram, for integrity checking. */
  readonly datagram: Buffer;
}

export type DecodedFrame =
  | ({ readonly kind: 'v15' } & V15Frame & { readonly payload: Buffer })
  | ({ readonly kind: 'v20' } & V20Frame)
  | { readonly kind: 'asf' };

function rmcpHeader(buf: Buffer): void {
  buf[0] = RMCP_VERSION;
  buf[1] = 0x00;
  buf[2] = RMCP_SEQ_NO_ACK;
  buf[3] = RMCP_CLASS_IPMI;
}

export function encodeV15(frame: V15Frame): Buffer {
  const hasAuth = frame.authType !== AuthType.None;
  if (hasAuth && frame.authCode?.length !== 16) throw new RangeError('auth code must be 16 bytes');
  if (frame.payload.length > 0xff) throw new RangeError('IPMI 1.5 payload too long');
  const len = RMCP_HEADER_LEN + 1 + 4 + 4 + (hasAuth ? 16 : 0) + 1 + frame.payload.length;
  const buf = Buffer.alloc(len);
  rmcpHeader(buf);
  let o = RMCP_HEADER_LEN;
  buf[o++] = frame.authType;
  buf.writeUInt32LE(frame.sessionSeq >>> 0, o);
  o += 4;
  buf.writeUInt32LE(frame.sessionId >>> 0, o);
  o += 4;
  if (hasAuth && frame.authCode) {
    buf.set(frame.authCode, o);
    o += 16;
  }
  buf[o++] = frame.payload.length;
  buf.set(frame.payload, o);
  return buf;
}

export interface Integrity {
  readonly authCodeLength: number;
  /** Computes the auth code over the given bytes (session header through next header). */
  sign(data: Buffer): Buffer;
}

/**
 * Encodes an RMCP+ datagram. When `integrity` is given the packet is marked authenticated and
 * an integrity trailer is appended (pad to a 4-byte boundary, pad length, next header, auth code).
 */
export function encodeV20(
  header: Omit<V20FrameHeader, 'authenticated'>,
  payload: Uint8Array,
  integrity?: Integrity,
): Buffer {
  if (payload.length > 0xffff) throw new RangeError('RMCP+ payload too long');
  const sessionPartLen = 1 + 1 + 4 + 4 + 2 + payload.length;
  let trailerLen = 0;
  let padLen = 0;
  if (integrity) {
    // Pad so that auth type .. next header is a multiple of 4 bytes.
    padLen = (4 - ((sessionPartLen + 2) % 4)) % 4;
    trailerLen = padLen + 2 + integrity.authCodeLength;
  }
  const buf = Buffer.alloc(RMCP_HEADER_LEN + sessionPartLen + trailerLen);
  rmcpHeader(buf);
  let o = RMCP_HEADER_LEN;
  buf[o++] = AuthType.RmcpPlus;
  buf[o++] = (header.encrypted ? 0x80 : 0) | (integrity ? 0x40 : 0) | (header.payloadType & 0x3f);
  buf.writeUInt32LE(header.sessionId >>> 0, o);
  o += 4;
  buf.writeUInt32LE(header.sessionSeq >>> 0, o);
  o += 4;
  buf.writeUInt16LE(payload.length, o);
  o += 2;
  buf.set(payload, o);
  o += payload.length;
  if (integrity) {
    buf.fill(0xff, o, o + padLen);
    o += padLen;
    buf[o++] = padLen;
    buf[o++] = NEXT_HEADER_IPMI;
    const code = integrity.sign(buf.subarray(SESSION_HEADER_OFFSET, o));
    if (code.length < integrity.authCodeLength) throw new Error('integrity code too short');
    code.copy(buf, o, 0, integrity.authCodeLength);
  }
  return buf;
}

/**
 * Splits a received datagram into its frame. Returns undefined for anything that is not a
 * well-formed RMCP/IPMI datagram. Never throws.
 */
export function decodeFrame(buf: Buffer): DecodedFrame | undefined {
  if (buf.length < RMCP_HEADER_LEN + 1) return undefined;
  if (buf[0] !== RMCP_VERSION) return undefined;
  const cls = (buf[3] ?? 0) & 0x1f;
  if (cls === RMCP_CLASS_ASF) return { kind: 'asf' };
  if (cls !== RMCP_CLASS_IPMI) return undefined;
  let o = RMCP_HEADER_LEN;
  const authType = buf[o++] ?? 0;
  if (authType === AuthType.RmcpPlus) {
    if (buf.length < o + 11) return undefined;
    const pt = buf[o++] ?? 0;
    const sessionId = buf.readUInt32LE(o);
    o += 4;
    const sessionSeq = buf.readUInt32LE(o);
    o += 4;
    const len = buf.readUInt16LE(o);
    o += 2;
    if ((pt & 0x3f) === 0x02) return undefined; // OEM explicit payloads are not supported
    if (buf.length < o + len) return undefined;
    return {
      kind: 'v20',
      payloadType: pt & 0x3f,
      encrypted: (pt & 0x80) !== 0,
      authenticated: (pt & 0x40) !== 0,
      sessionId,
      sessionSeq,
      payload: buf.subarray(o, o + len),
      trailer: buf.subarray(o + len),
      datagram: buf,
    };
  }
  if (authType > AuthType.Oem || authType === 3) return undefined;
  const hasAuth = authType !== AuthType.None;
  if (buf.length < o + 8 + (hasAuth ? 16 : 0) + 1) return undefined;
  const sessionSeq = buf.readUInt32LE(o);
  o += 4;
  const sessionId = buf.readUInt32LE(o);
  o += 4;
  let authCode: Buffer | undefined;
  if (hasAuth) {
    authCode = buf.subarray(o, o + 16);
    o += 16;
  }
  const len = buf[o++] ?? 0;
  if (buf.length < o + len) return undefined;
  const frame = {
    kind: 'v15' as const,
    authType,
    sessionSeq,
    sessionId,
    payload: buf.subarray(o, o + len),
  };
  return authCode ? { ...frame, authCode } : frame;
}

/**
 * Validates the integrity trailer layout of an authenticated RMCP+ frame and returns the signed
 * region and the received auth code, or undefined when the layout is inconsistent.
 */
export function splitIntegrityTrailer(
  frame: V20Frame,
  authCodeLength: number,
): { signed: Buffer; authCode: Buffer } | undefined {
  const t = frame.trailer;
  if (t.length < authCodeLength + 2) return undefined;
  const nextHeader = t[t.length - authCodeLength - 1];
  const padLen = t[t.length - authCodeLength - 2] ?? 0;
  if (nextHeader !== NEXT_HEADER_IPMI) return undefined;
  if (padLen + 2 + authCodeLength !== t.length) return undefined;
  const end = frame.datagram.length - authCodeLength;
  return {
    signed: frame.datagram.subarray(SESSION_HEADER_OFFSET, end),
    authCode: frame.datagram.subarray(end),
  };
}
