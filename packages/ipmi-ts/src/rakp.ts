/** RMCP+ Open Session and RAKP message bodies (IPMI 2.0 spec sections 13.17–13.31). */
import type { CipherSuite } from './crypto';

export const Privilege = {
  callback: 1,
  user: 2,
  operator: 3,
  administrator: 4,
} as const;
export type PrivilegeLevel = keyof typeof Privilege;

/** RAKP 1 role bit: look the user up by name only (ignore privilege in the lookup). */
export const NAME_ONLY_LOOKUP = 0x10;

export function encodeOpenSessionRequest(
  tag: number,
  consoleSessionId: number,
  cs: CipherSuite,
  maxPrivilege: number,
): Buffer {
  const b = Buffer.alloc(32);
  b[0] = tag;
  b[1] = maxPrivilege;
  b.writeUInt32LE(consoleSessionId >>> 0, 4);
  const algs = [cs.auth, cs.integrity, cs.confidentiality];
  algs.forEach((alg, i) => {
    const o = 8 + i * 8;
    b[o] = i; // payload type: 0 auth, 1 integrity, 2 confidentiality
    b[o + 3] = 8;
    b[o + 4] = alg;
  });
  return b;
}

export interface OpenSessionResponse {
  readonly tag: number;
  readonly status: number;
  readonly maxPrivilege: number;
  readonly consoleSessionId: number;
  readonly bmcSessionId: number;
  readonly auth: number;
  readonly integrity: number;
  readonly confidentiality: number;
}

export function decodeOpenSessionResponse(b: Buffer): OpenSessionResponse | undefined {
  if (b.length < 8) return undefined;
  const base = {
    tag: b[0] ?? 0,
    status: b[1] ?? 0,
    maxPrivilege: (b[2] ?? 0) & 0x0f,
    consoleSessionId: b.readUInt32LE(4),
  };
  if (base.status !== 0) {
    return { ...base, bmcSessionId: 0, auth: 0, integrity: 0, confidentiality: 0 };
  }
  if (b.length < 36) return undefined;
  if (b[12] !== 0 || b[20] !== 1 || b[28] !== 2) return undefined;
  return {
    ...base,
    bmcSessionId: b.readUInt32LE(8),
    auth: (b[16] ?? 0) & 0x3f,
    integrity: (b[24] ?? 0) & 0x3f,
    confidentiality: (b[32] ?? 0) & 0x3f,
  };
}

export function encodeRakp1(
  tag: number,
  bmcSessionId: number,
  consoleRandom: Uint8Array,
  role: number,
  username: Uint8Array,
): Buffer {
  const b = Buffer.alloc(28 + username.length);
  b[0] = tag;
  b.writeUInt32LE(bmcSessionId >>> 0, 4);
  b.set(consoleRandom, 8);
  b[24] = role;
  b[27] = username.length;
  b.set(username, 28);
  return b;
}

export interface Rakp2 {
  readonly tag: number;
  readonly status: number;
  readonly consoleSessionId: number;
  readonly bmcRandom: Buffer;
  readonly bmcGuid: Buffer;
  readonly authCode: Buffer;
}

export function decodeRakp2(b: Buffer, codeLength: number): Rakp2 | undefined {
  if (b.length < 8) return undefined;
  const status = b[1] ?? 0;
  const consoleSessionId = b.readUInt32LE(4);
  if (status !== 0) {
    const empty = Buffer.alloc(0);
    return {
      tag: b[0] ?? 0,
      status,
      consoleSessionId,
      bmcRandom: empty,
      bmcGuid: empty,
      authCode: empty,
    };
  }
  if (b.length !== 40 + codeLength) return undefined;
  return {
    tag: b[0] ?? 0,
    status,
    consoleSessionId,
    bmcRandom: b.subarray(8, 24),
    bmcGuid: b.subarray(24, 40),
    authCode: b.subarray(40),
  };
}

export function encodeRakp3(
  tag: number,
  status: number,
  bmcSessionId: number,
  authCode: Buffer,
): Buffer {
  const b = Buffer.alloc(8 + authCode.length);
  b[0] = tag;
  b[1] = status;
  b.writeUInt32LE(bmcSessionId >>> 0, 4);
  authCode.copy(b, 8);
  return b;
}

export interface Rakp4 {
  readonly tag: number;
  readonly status: number;
  readonly consoleSessionId: number;
  readonly icv: Buffer;
}

export function decodeRakp4(b: Buffer, icvLength: number): Rakp4 | undefined {
  if (b.length < 8) return undefined;
  const status = b[1] ?? 0;
  if (status === 0 && b.length !== 8 + icvLength) return undefined;
  return { tag: b[0] ?? 0, status, consoleSessionId: b.readUInt32LE(4), icv: b.subarray(8) };
}
