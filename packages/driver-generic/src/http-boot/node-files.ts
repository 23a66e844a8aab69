/**
 * A node's boot files under `<http_root>/<node uuid>/`: cached images linked in, scripts and ISOs
 * written whole (a machine fetching never sees half a file), all removed at clean-up.
 */
import { copyFile, link, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export function nodeDirectory(httpRoot: string, nodeUuid: string): string {
  return join(httpRoot, nodeUuid);
}

/** `base` (http_url) joined with a path under http_root. */
export function httpUrlOf(base: string, ...parts: string[]): string {
  return [base.replace(/\/+$/, ''), ...parts.map(encodeURIComponent)].join('/');
}

/**
 * Writes `content` to `path` by renaming a complete temporary file over it. The temporary name
 * starts with a dot: dnsmasq, watching its hosts and options directories, skips dotfiles.
 */
export async function writeWhole(path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  await writeFile(temporary, content, { mode: 0o644 });
  await rename(temporary, path);
}

/** Puts the cached file `source` at `<http_root>/<uuid>/<name>`: a hard link, or a copy across file systems. */
export async function publishNodeFile(
  httpRoot: string,
  nodeUuid: string,
  name: string,
  source: string,
): Promise<string> {
  const path = join(nodeDirectory(httpRoot, nodeUuid), name);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await link(source, temporary);
  } catch {
    await copyFile(source, temporary);
  }
  await rename(temporary, path);
  return path;
}

export async function removeNodeFiles(httpRoot: string, nodeUuid: string): Promise<void> {
  await rm(nodeDirectory(httpRoot, nodeUuid), { recursive: true, force: true });
}
