import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);

/** A config drive given as JSON (API 1.56; `vendor_data` from 1.59), as Metal3 sends it. */
export interface ConfigDriveSpec {
  meta_data?: Record<string, unknown>;
  network_data?: Record<string, unknown>;
  user_data?: unknown;
  vendor_data?: Record<string, unknown>;
}

/** A config drive the API accepted (and checked) as an object rather than an ISO or its URL. */
export function isConfigDriveSpec(value: unknown): value is ConfigDriveSpec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Builds the config drive Ironic builds from JSON: an ISO 9660 image labelled `config-2` with
 * `openstack/latest/meta_data.json` (the node's uuid and name filled in when absent),
 * `network_data.json`, `vendor_data2.json` and `user_data` when given, gzipped and base64'd as
 * a config drive string. Needs `xorriso` (Debian package `xorriso`).
 */
export async function buildConfigDrive(
  node: { uuid: string; name: string | null },
  spec: ConfigDriveSpec,
): Promise<string> {
  const metaData: Record<string, unknown> = { uuid: node.uuid, ...spec.meta_data };
  if (node.name && metaData.name === undefined) metaData.name = node.name;
  const folder = await mkdtemp(join(tmpdir(), 'galvanic-configdrive-'));
  try {
    const latest = join(folder, 'tree', 'openstack', 'latest');
    await mkdir(latest, { recursive: true });
    const files: Promise<void>[] = [
      writeFile(join(latest, 'meta_data.json'), JSON.stringify(metaData)),
    ];
    if (spec.network_data)
      files.push(writeFile(join(latest, 'network_data.json'), JSON.stringify(spec.network_data)));
    if (spec.vendor_data)
      files.push(writeFile(join(latest, 'vendor_data2.json'), JSON.stringify(spec.vendor_data)));
    if (spec.user_data !== undefined && spec.user_data !== null && spec.user_data !== '') {
      const userData =
        typeof spec.user_data === 'string' ? spec.user_data : JSON.stringify(spec.user_data);
      files.push(writeFile(join(latest, 'user_data'), userData));
    }
    await Promise.all(files);
    const iso = join(folder, 'configdrive.iso');
    // prettier-ignore
    await run('xorriso', [
      '-as', 'mkisofs', '-quiet', '-o', iso, '-V', 'config-2', '-J', '-r', '-l', join(folder, 'tree'),
    ], { timeout: 60_000 });
    return gzipSync(await readFile(iso)).toString('base64');
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
