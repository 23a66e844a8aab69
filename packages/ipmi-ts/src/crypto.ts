/** RMCP+ cipher suites, RAKP key derivation, integrity and confidentiality algorithms. */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

export type HashName = 'sha1' | 'sha256' | 'md5';

export const AuthAlgorithm = { None: 0, HmacSha1: 1, HmacMd5: 2, HmacSha256: 3 } as const;
export const IntegrityAlgorithm = {
  None: 0,
  HmacSha1_96: 1,
  HmacMd5_128: 2,
  HmacSha256_128: 4,
} as const;
export const ConfidentialityAlgorithm = { None: 0, AesCbc128: 1 } as const;

export interface CipherSuite {
  readonly id: number;
  readonly auth: number;
  readonly integrity: number;
  readonly confidentiality: number;
  /** Hash for RAKP auth codes, SIK, K1 and K2 (undefined for RAKP-none). */
  readonly authHash: HashName | undefined;
  /** Length of RAKP 2/3 key exchange auth codes. */
  readonly rakpCodeLength: number;
  /** Length of the RAKP 4 integrity check value. */
  readonly rakp4CodeLength: number;
  /** Hash and truncated length of the per-packet integrity code (undefined: none). */
  readonly integrityHash: HashName | undefined;
  readonly integrityLength: number;
}

function suite(id: number, auth: number, integrity: number, confidentiality: number): CipherSuite {
  const authHash: HashName | undefined =
    auth === AuthAlgorithm.HmacSha1
      ? 'sha1'
      : auth === AuthAlgorithm.HmacSha256
        ? 'sha256'
        : auth === AuthAlgorithm.HmacMd5
          ? 'md5'
          : undefined;
  const rakpCodeLength = authHash === 'sha1' ? 20 : authHash === 'sha256' ? 32 : authHash ? 16 : 0;
  // RAKP 4 ICV uses the integrity algorithm's truncation of the auth hash.
  const rakp4CodeLength = authHash === 'sha1' ? 12 : authHash ? 16 : 0;
  const integrityHash: HashName | undefined =
    integrity === IntegrityAlgorithm.HmacSha1_96
      ? 'sha1'
      : integrity === IntegrityAlgorithm.HmacSha256_128
        ? 'sha256'
        : integrity === IntegrityAlgorithm.HmacMd5_128
          ? 'md5'
          : undefined;
  const integrityLength = integrityHash === 'sha1' ? 12 : integrityHash ? 16 : 0;
  return {
    id,
    auth,
    integrity,
    confidentiality,
    authHash,
    rakpCodeLength,
    rakp4CodeLength,
    integrityHash,
    integrityLength,
  };
}

const A = AuthAlgorithm;
const I = IntegrityAlgorithm;
const C = ConfidentialityAlgorithm;

/** Cipher suites implemented by this library (IPMI 2.0 spec table 22-20). */
export const CIPHER_SUITES: ReadonlyMap<number, CipherSuite> = new Map(
  [
    suite(0, A.None, I.None, C.None),
    suite(1, A.HmacSha1, I.None, C.None),
    suite(2, A.HmacSha1, I.HmacSha1_96, C.None),
    suite(3, A.HmacSha1, I.HmacSha1_96, C.AesCbc128),
    suite(6, A.HmacMd5, I.None, C.None),
    suite(7, A.HmacMd5, I.HmacMd5_128, C.None),
    suite(8, A.HmacMd5, I.HmacMd5_128, C.AesCbc128),
    suite(15, A.HmacSha256, I.None, C.None),
    suite(16, A.HmacSha256, I.HmacSha256_128, C.None),
    suite(17, A.HmacSha256, I.HmacSha256_128, C.AesCbc128),
  ].map((s) => [s.id, s]),
);

export function hmac(hash: HashName, key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const h = createHmac(hash, key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Constant-time comparison that also tolerates length mismatch (returns false). */
export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** Password / Kg as a fixed-length zero-padded key (20 bytes for IPMI 2.0, 16 for 1.5). */
export function paddedKey(secret: string | Uint8Array, length: number): Buffer {
  const raw = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (raw.length > length) throw new RangeError(`secret longer than ${length} bytes`);
  const out = Buffer.alloc(length);
  raw.copy(out);
  return out;
}

// Key-derivation constants are 20 bytes for every suite, including the SHA-256 ones.
const CONST_1 = Buffer.alloc(20, 0x01);
const CONST_2 = Buffer.alloc(20, 0x02);

export interface SessionKeys {
  readonly sik: Buffer;
  readonly k1: Buffer;
  readonly k2: Buffer;
}

export interface RakpParams {
  readonly consoleSessionId: number;
  readonly bmcSessionId: number;
  readonly consoleRandom: Uint8Array;
  readonly bmcRandom: Uint8Array;
  readonly bmcGuid: Uint8Array;
  /** The full RAKP 1 role byte, including the name-only lookup bit. */
  readonly role: number;
  readonly username: Uint8Array;
}

function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/** RAKP 2 key exchange auth code: HMAC_Kuid(SIDm, SIDc, Rm, Rc, GUIDc, ROLEm, ULENGTHm, UNAMEm). */
export function rakp2AuthCode(hash: HashName, kuid: Uint8Array, p: RakpParams): Buffer {
  return hmac(
    hash,
    kuid,
    u32le(p.consoleSessionId),
    u32le(p.bmcSessionId),
    p.consoleRandom,
    p.bmcRandom,
    p.bmcGuid,
    Buffer.from([p.role, p.username.length]),
    p.username,
  );
}

/** RAKP 3 key exchange auth code: HMAC_Kuid(Rc, SIDm, ROLEm, ULENGTHm, UNAMEm). */
export function rakp3AuthCode(hash: HashName, kuid: Uint8Array, p: RakpParams): Buffer {
  return hmac(
    hash,
    kuid,
    p.bmcRandom,
    u32le(p.consoleSessionId),
    Buffer.from([p.role, p.username.length]),
    p.username,
  );
}

/** Session integrity key: HMAC_Kg(Rm, Rc, ROLEm, ULENGTHm, UNAMEm). */
export function deriveSik(hash: HashName, kg: Uint8Array, p: RakpParams): Buffer {
  return hmac(
    hash,
    kg,
    p.consoleRandom,
    p.bmcRandom,
    Buffer.from([p.role, p.username.length]),
    p.username,
  );
}

export function deriveSessionKeys(hash: HashName, sik: Buffer): SessionKeys {
  return { sik, k1: hmac(hash, sik, CONST_1), k2: hmac(hash, sik, CONST_2) };
}

/** RAKP 4 integrity check value: HMAC_SIK(Rm, SIDc, GUIDc), truncated per suite. */
export function rakp4Icv(cs: CipherSuite, sik: Buffer, p: RakpParams): Buffer {
  if (!cs.authHash) return Buffer.alloc(0);
  return hmac(cs.authHash, sik, p.consoleRandom, u32le(p.bmcSessionId), p.bmcGuid).subarray(
    0,
    cs.rakp4CodeLength,
  );
}

/** Per-packet integrity code over session header .. next header, keyed with K1. */
export function packetAuthCode(cs: CipherSuite, k1: Buffer, data: Buffer): Buffer {
  if (!cs.integrityHash) return Buffer.alloc(0);
  return hmac(cs.integrityHash, k1, data).subarray(0, cs.integrityLength);
}

/**
 * AES-CBC-128 payload encryption (IPMI 2.0 spec 13.29): IV || E(data || 1,2,..,n || n) with the
 * pad making the plaintext a multiple of 16 bytes. Key is the first 16 bytes of K2.
 */
export function aesEncrypt(
  k2: Buffer,
  plaintext: Uint8Array,
  iv: Buffer = randomBytes(16),
): Buffer {
  const padLen = (16 - ((plaintext.length + 1) % 16)) % 16;
  const block = Buffer.alloc(plaintext.length + padLen + 1);
  block.set(plaintext);
  for (let i = 0; i < padLen; i++) block[plaintext.length + i] = i + 1;
  block[block.length - 1] = padLen;
  const cipher = createCipheriv('aes-128-cbc', k2.subarray(0, 16), iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([iv, cipher.update(block), cipher.final()]);
}

/** Inverse of aesEncrypt; returns undefined when the ciphertext or its padding is invalid. */
export function aesDecrypt(k2: Buffer, payload: Buffer): Buffer | undefined {
  if (payload.length < 32 || payload.length % 16 !== 0) return undefined;
  const decipher = createDecipheriv('aes-128-cbc', k2.subarray(0, 16), payload.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(payload.subarray(16)), decipher.final()]);
  const padLen = plain[plain.length - 1] ?? 0;
  if (padLen > 15) return undefined;
  const dataLen = plain.length - 1 - padLen;
  for (let i = 0; i < padLen; i++) {
    if (plain[dataLen + i] !== i + 1) return undefined;
  }
  return plain.subarray(0, dataLen);
}

/**
 * IPMI 1.5 MD5 auth code (spec 22.17.1): MD5(password, session id, message, session seq, password)
 * with the password zero-padded to 16 bytes.
 */
export function md5AuthCode(
  password16: Uint8Array,
  sessionId: number,
  sessionSeq: number,
  message: Uint8Array,
): Buffer {
  return createHash('md5')
    .update(password16)
    .update(u32le(sessionId))
    .update(message)
    .update(u32le(sessionSeq))
    .update(password16)
    .digest();
}

export function randomConsoleSessionId(): number {
  // Zero is reserved for "no session".
  let id = 0;
  while (id === 0) id = randomBytes(4).readUInt32LE();
  return id;
}
