import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse as parsePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkManifest, SDK_API_VERSION, type DriverManifest } from '@galvanic/driver-sdk';
import { DriverLoadError } from '@galvanic/errors';

/** A package that declares drivers, found and checked, not yet imported. */
export interface DriverPackage {
  name: string;
  version: string;
  dir: string;
  entry: string;
  manifest: DriverManifest;
}

function findPackageRoot(entry: string, name: string): string {
  for (let dir = dirname(entry); dir !== parsePath(dir).root; dir = dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (json.name === name) return dir;
    } catch {
      // no package.json here; keep climbing
    }
  }
  throw new DriverLoadError(name, 'its package.json was not found above its entry point');
}

const SDK_PACKAGE = '@galvanic/driver-sdk';

/** The version of the SDK this conductor runs, the one a driver's peer dependency resolves to. */
function conductorSdkVersion(): string {
  const json = createRequire(import.meta.url).resolve(`${SDK_PACKAGE}/package.json`);
  return (JSON.parse(readFileSync(json, 'utf8')) as { version: string }).version;
}

/** Resolves a package's main entry from the first of `resolveFrom` that can see it. */
function resolveEntry(name: string, resolveFrom: readonly string[]): string {
  for (const base of resolveFrom) {
    try {
      return createRequire(join(base, 'noop.js')).resolve(name);
    } catch {
      // not installed where this base can see it
    }
  }
  throw new DriverLoadError(
    name,
    `the package is not installed (looked from ${resolveFrom.join(', ')})`,
  );
}

/**
 * Finds an installed package and reads its `galvanic` declaration. Refuses a package without
 * one, with a malformed one, or targeting another major version of the driver SDK.
 */
export function findDriverPackage(name: string, resolveFrom: readonly string[]): DriverPackage {
  const entry = resolveEntry(name, resolveFrom);
  const dir = findPackageRoot(entry, name);
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version?: string;
    galvanic?: unknown;
    peerDependencies?: Record<string, string>;
  };
  if (json.galvanic === undefined) {
    throw new DriverLoadError(name, 'its package.json declares no "galvanic" field');
  }
  const problems = checkManifest(json.galvanic);
  if (problems.length > 0) throw new DriverLoadError(name, problems.join('; '));
  const manifest = json.galvanic as DriverManifest;
  if (manifest.sdkApiVersion !== SDK_API_VERSION) {
    const wanted = json.peerDependencies?.[SDK_PACKAGE];
    throw new DriverLoadError(
      name,
      `it targets driver SDK API version ${manifest.sdkApiVersion}` +
        `${wanted ? ` (${SDK_PACKAGE} ${wanted})` : ''}, but this conductor provides version ` +
        `${SDK_API_VERSION} (${SDK_PACKAGE} ${conductorSdkVersion()})`,
    );
  }
  return { name, version: json.version ?? '0.0.0', dir, entry, manifest };
}

/** Imports a driver package's main module. */
export async function importDriverPackage(pkg: DriverPackage): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(pkg.entry).href)) as Record<string, unknown>;
  } catch (error) {
    throw new DriverLoadError(pkg.name, `importing it failed: ${(error as Error).message}`);
  }
}
