import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SDK_PACKAGE = '@galvanic/driver-sdk';

/** The directory of the driver SDK this conductor runs: what drivers' peer dependency links to. */
export function conductorSdkDir(): string {
  return realpathSync(
    dirname(createRequire(import.meta.url).resolve(`${SDK_PACKAGE}/package.json`)),
  );
}

/**
 * Prepares `driverPath` as an npm project whose `@galvanic/driver-sdk` is a link to this
 * conductor's SDK: a driver's peer dependency is satisfied by it, never fetched, and the driver
 * shares the conductor's SDK module (its classes and errors are the conductor's).
 */
function prepareDriverPath(driverPath: string): void {
  mkdirSync(driverPath, { recursive: true });
  const manifestPath = join(driverPath, 'package.json');
  const manifest = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>)
    : {
        name: 'galvanic-drivers',
        private: true,
        description: 'Driver packages of a Galvanic conductor',
      };
  const dependencies = (manifest.dependencies ?? {}) as Record<string, string>;
  manifest.dependencies = { ...dependencies, [SDK_PACKAGE]: `file:${conductorSdkDir()}` };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

export interface InstallOptions {
  /** Passed to npm: install from local tarballs and npm's cache only. */
  offline?: boolean;
  /** Where npm's output goes; the caller's stderr by default. */
  log?: (text: string) => void;
}

/**
 * `galvanic drivers install`: installs a driver package (a tarball, a directory or a registry
 * name) into `driverPath` with npm. A directory is packed first, so the installed copy resolves
 * the SDK to the conductor's, not to whatever the author's checkout has in its node_modules.
 */
export async function installDriverPackage(
  spec: string,
  driverPath: string,
  options: InstallOptions = {},
): Promise<void> {
  const log = options.log ?? ((text: string) => process.stderr.write(text));
  prepareDriverPath(driverPath);
  // Local packages are kept in driver_path, where npm's record of them keeps pointing.
  const kept = join(driverPath, 'packages');
  let target = spec;
  const local = resolve(spec);
  if (existsSync(local) && statSync(local).isDirectory()) {
    mkdirSync(kept, { recursive: true });
    const { stdout } = await npm(['pack', local, '--pack-destination', kept, '--json'], kept);
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    target = join(kept, packed!.filename);
  } else if (existsSync(local)) {
    mkdirSync(kept, { recursive: true });
    target = join(kept, basename(local));
    if (target !== local) copyFileSync(local, target);
  }
  const args = ['install', '--prefix', driverPath, '--no-audit', '--no-fund', '--omit=dev'];
  if (options.offline) args.push('--offline');
  const { stdout, stderr } = await npm([...args, target], driverPath);
  log(stdout + stderr);
}

/** Runs npm without the npm_config_* variables a calling package manager may have set. */
function npm(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_config_')),
  );
  return run('npm', args, { cwd, env });
}

export interface InstalledPackage {
  name: string;
  version: string;
}

/** The driver packages (those declaring `galvanic`) installed in `driverPath`. */
export function installedDriverPackages(driverPath: string): InstalledPackage[] {
  const manifestPath = join(driverPath, 'package.json');
  if (!existsSync(manifestPath)) return [];
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(manifest.dependencies ?? {})
    .filter((name) => name !== SDK_PACKAGE)
    .flatMap((name) => {
      const json = join(driverPath, 'node_modules', name, 'package.json');
      if (!existsSync(json)) return [];
      const pkg = JSON.parse(readFileSync(json, 'utf8')) as { version: string; galvanic?: unknown };
      return pkg.galvanic === undefined ? [] : [{ name, version: pkg.version }];
    });
}
