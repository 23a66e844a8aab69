import { createHash, randomInt } from 'node:crypto';

/** `[conductor] rescue_password_hash_algorithm`: the crypt(3) schemes Ironic offers. */
export const RESCUE_HASH_ALGORITHMS = ['sha256', 'sha512'] as const;
export type RescueHashAlgorithm = (typeof RESCUE_HASH_ALGORITHMS)[number];

const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DEFAULT_ROUNDS = 5000;
const MAX_SALT_LENGTH = 16;

interface Scheme {
  readonly id: string;
  readonly hash: 'sha256' | 'sha512';
  /** The digest's bytes in the order the encoding takes them, three at a time. */
  readonly order: readonly number[];
}

/**
 * The byte orders of the SHA-crypt specification (U. Drepper): each triple is encoded as four
 * characters, the last, shorter group as fewer.
 */
const SCHEMES: Record<RescueHashAlgorithm, Scheme> = {
  sha256: {
    id: '5',
    hash: 'sha256',
    order: [
      0, 10, 20, 21, 1, 11, 12, 22, 2, 3, 13, 23, 24, 4, 14, 15, 25, 5, 6, 16, 26, 27, 7, 17, 18,
      28, 8, 9, 19, 29, 31, 30,
    ],
  },
  sha512: {
    id: '6',
    hash: 'sha512',
    order: [
      0, 21, 42, 22, 43, 1, 44, 2, 23, 3, 24, 45, 25, 46, 4, 47, 5, 26, 6, 27, 48, 28, 49, 7, 50, 8,
      29, 9, 30, 51, 31, 52, 10, 53, 11, 32, 12, 33, 54, 34, 55, 13, 56, 14, 35, 15, 36, 57, 37, 58,
      16, 59, 17, 38, 18, 39, 60, 40, 61, 19, 62, 20, 41, 63,
    ],
  },
};

function digest(algorithm: Scheme['hash'], ...parts: Buffer[]): Buffer {
  const hash = createHash(algorithm);
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** `length` bytes of `block` repeated. */
function repeated(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let at = 0; at < length; at += block.length) block.copy(out, at, 0, length - at);
  return out;
}

/** crypt(3)'s base-64: little end first, `chars` characters of a 24-bit group. */
function encodeGroup(value: number, chars: number): string {
  let text = '';
  for (let i = 0; i < chars; i += 1) {
    text += CRYPT_ALPHABET[value & 0x3f];
    value >>>= 6;
  }
  return text;
}

function encodeDigest(scheme: Scheme, final: Buffer): string {
  let text = '';
  const { order } = scheme;
  let i = 0;
  for (; i + 3 <= order.length; i += 3) {
    text += encodeGroup(
      (final[order[i]!]! << 16) | (final[order[i + 1]!]! << 8) | final[order[i + 2]!]!,
      4,
    );
  }
  const rest = order.slice(i);
  if (rest.length === 2) text += encodeGroup((final[rest[0]!]! << 8) | final[rest[1]!]!, 3);
  if (rest.length === 1) text += encodeGroup(final[rest[0]!]!, 2);
  return text;
}

/**
 * SHA-crypt (`$5$` SHA-256, `$6$` SHA-512), the format of /etc/shadow that glibc's crypt(3)
 * checks, with the default 5000 rounds. `salt` is at most 16 characters of the crypt alphabet.
 */
export function shaCrypt(password: string, algorithm: RescueHashAlgorithm, salt: string): string {
  const scheme = SCHEMES[algorithm];
  const P = Buffer.from(password, 'utf8');
  const S = Buffer.from(salt.slice(0, MAX_SALT_LENGTH), 'utf8');
  const h = (...parts: Buffer[]) => digest(scheme.hash, ...parts);

  const alternate = h(P, S, P);
  const first: Buffer[] = [P, S, repeated(alternate, P.length)];
  for (let bits = P.length; bits > 0; bits >>>= 1) first.push(bits & 1 ? alternate : P);
  const a = h(...first);

  const pSequence = repeated(h(...Array<Buffer>(P.length).fill(P)), P.length);
  const sSequence = repeated(h(...Array<Buffer>(16 + a[0]!).fill(S)), S.length);

  let c = a;
  for (let round = 0; round < DEFAULT_ROUNDS; round += 1) {
    const parts: Buffer[] = [round & 1 ? pSequence : c];
    if (round % 3 !== 0) parts.push(sSequence);
    if (round % 7 !== 0) parts.push(pSequence);
    parts.push(round & 1 ? c : pSequence);
    c = h(...parts);
  }
  return `$${scheme.id}$${S.toString('utf8')}$${encodeDigest(scheme, c)}`;
}

/** A random 16-character salt, as Ironic's crypt_mksalt makes. */
export function randomSalt(): string {
  let salt = '';
  for (let i = 0; i < MAX_SALT_LENGTH; i += 1)
    salt += CRYPT_ALPHABET[randomInt(CRYPT_ALPHABET.length)];
  return salt;
}

/** Ironic's hash_password: the rescue password as the ramdisk's /etc/shadow takes it. */
export function hashRescuePassword(password: string, algorithm: RescueHashAlgorithm): string {
  return shaCrypt(password, algorithm, randomSalt());
}
