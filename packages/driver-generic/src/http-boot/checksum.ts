import { InvalidParameterValue } from '@galvanic/driver-sdk';

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512';

export interface ExpectedChecksum {
  readonly algorithm: HashAlgorithm;
  /** Lower-case hex. */
  readonly value: string;
}

const ALGORITHMS: readonly HashAlgorithm[] = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'];

/** Hex digest lengths that name their algorithm when `image_checksum` gives none. */
const BY_LENGTH: ReadonlyMap<number, HashAlgorithm> = new Map([
  [32, 'md5'],
  [40, 'sha1'],
  [64, 'sha256'],
  [96, 'sha384'],
  [128, 'sha512'],
]);

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function hex(field: string, value: string): string {
  if (!/^[0-9a-fA-F]+$/.test(value)) {
    throw new InvalidParameterValue(`instance_info ${field} is not a hexadecimal digest: ${value}`);
  }
  return value.toLowerCase();
}

/**
 * The checksum `instance_info` gives for its image, as Ironic reads it: `image_os_hash_algo` with
 * `image_os_hash_value` first, else `image_checksum` (`<algo>:<hex>`, or bare hex whose length
 * names the algorithm, MD5 for 32 digits). Undefined when there is none.
 */
export function expectedChecksum(
  info: Readonly<Record<string, unknown>>,
): ExpectedChecksum | undefined {
  const algo = text(info.image_os_hash_algo).toLowerCase();
  const osHash = text(info.image_os_hash_value);
  if (algo && osHash) {
    if (!ALGORITHMS.includes(algo as HashAlgorithm)) {
      throw new InvalidParameterValue(
        `instance_info image_os_hash_algo ${algo} is not supported; use one of ${ALGORITHMS.join(', ')}`,
      );
    }
    return { algorithm: algo as HashAlgorithm, value: hex('image_os_hash_value', osHash) };
  }
  const checksum = text(info.image_checksum);
  if (!checksum) return undefined;
  const [prefix, rest] = checksum.includes(':') ? checksum.split(':', 2) : [undefined, checksum];
  if (/^https?$|^file$/i.test(prefix ?? '')) {
    throw new InvalidParameterValue(
      'instance_info image_checksum as a URL of a checksum file is not supported; give the digest',
    );
  }
  const value = hex('image_checksum', rest ?? '');
  const algorithm = prefix ? prefix.toLowerCase() : BY_LENGTH.get(value.length);
  if (!algorithm || !ALGORITHMS.includes(algorithm as HashAlgorithm)) {
    throw new InvalidParameterValue(
      `instance_info image_checksum ${checksum} names no supported algorithm (${ALGORITHMS.join(', ')})`,
    );
  }
  return { algorithm: algorithm as HashAlgorithm, value };
}
