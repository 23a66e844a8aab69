/**
 * Images (kernels, ramdisks, ISOs) fetched once by URL into `<http_root>/master_images`, keyed by
 * URL and expected checksum, verified before they enter the cache: a file there is always
 * complete and, when a checksum was given, matches it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import { ImageDownloadFailed, InvalidParameterValue } from '@galvanic/driver-sdk';
import type { ExpectedChecksum } from './checksum';

const DOWNLOAD_TIMEOUT_MS = 600_000;

/** Downloads under way, by cache key: two nodes asking for one image share one download. */
const inFlight = new Map<string, Promise<string>>();

export function imageCacheDir(httpRoot: string): string {
  return join(httpRoot, 'master_images');
}

function cacheKey(url: string, expected: ExpectedChecksum | undefined): string {
  const checksum = expected ? `${expected.algorithm}:${expected.value}` : '';
  return createHash('sha256').update(`${url}\n${checksum}`).digest('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function source(url: string, signal: AbortSignal): Promise<Readable> | Readable {
  if (url.startsWith('file://')) return createReadStream(fileURLToPath(url));
  if (!/^https?:\/\//i.test(url)) {
    throw new InvalidParameterValue(`Image ${url} is not an http(s) or file URL`);
  }
  return fetch(url, { signal }).then((response) => {
    if (!response.ok || !response.body) {
      throw new ImageDownloadFailed(url, `the server answered ${response.status}`);
    }
    return Readable.fromWeb(response.body as WebReadableStream);
  });
}

async function download(
  url: string,
  expected: ExpectedChecksum | undefined,
  target: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const partial = `${target}.part-${process.pid}-${Date.now()}`;
  const hash = createHash(expected?.algorithm ?? 'sha256');
  try {
    const timeout = AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS);
    const input = await source(url, signal ? AbortSignal.any([signal, timeout]) : timeout);
    input.on('data', (chunk: Buffer) => hash.update(chunk));
    await pipeline(input, createWriteStream(partial, { mode: 0o644 }));
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof ImageDownloadFailed || error instanceof InvalidParameterValue) throw error;
    throw new ImageDownloadFailed(url, error instanceof Error ? error.message : String(error));
  }
  const actual = hash.digest('hex');
  if (expected && actual !== expected.value) {
    await rm(partial, { force: true });
    throw new ImageDownloadFailed(
      url,
      `its ${expected.algorithm} checksum ${actual} does not match the expected ${expected.value}`,
    );
  }
  await rename(partial, target);
  return target;
}

/**
 * The cached copy of `url`, downloading and verifying it first when it is not cached yet. Throws
 * ImageDownloadFailed (nothing cached) when it cannot be fetched or does not match `expected`.
 */
export async function cachedImage(
  httpRoot: string,
  url: string,
  expected: ExpectedChecksum | undefined,
  signal?: AbortSignal,
): Promise<string> {
  const dir = imageCacheDir(httpRoot);
  const key = cacheKey(url, expected);
  const target = join(dir, key);
  if (await exists(target)) return target;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = (async () => {
      await mkdir(dir, { recursive: true });
      return download(url, expected, target, signal);
    })().finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}
