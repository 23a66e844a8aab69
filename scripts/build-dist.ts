/**
 * Builds the file tree of a production install of Galvanic into a directory: what the deploy
 * image holds (deploy/Dockerfile runs this in its build stage) and what deploy/test starts.
 *
 *   <out>/bin/*.js                          each service, bundled to JavaScript with esbuild
 *   <out>/node_modules/@galvanic/driver-sdk the SDK as published (compiled with tsc), shared by
 *                                           the conductor and third-party drivers
 *   <out>/node_modules/@galvanic/driver-*   the built-in driver packages, compiled
 *   <out>/node_modules/...                  production dependencies only, from pnpm's store
 *
 * Usage: scripts/build-dist.sh <out>
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The service entry points, by the name of the file each becomes in `<out>/bin`. */
export const ENTRY_POINTS: Readonly<Record<string, string>> = {
  'galvanic-api.js': 'services/api/src/main.ts',
  'galvanic-conductor.js': 'services/conductor/src/main.ts',
  'galvanic-all-in-one.js': 'services/all-in-one/src/main.ts',
  'galvanic.js': 'services/conductor/src/cli.ts',
  'galvanic-db.js': 'packages/db/src/cli.ts',
};

const SDK = '@galvanic/driver-sdk';
const BUILTIN_DRIVERS = ['driver-generic', 'driver-fake', 'driver-ipmi', 'driver-redfish'];
const SERVICES = ['@galvanic/all-in-one', '@galvanic/api', '@galvanic/conductor', '@galvanic/db'];

interface Manifest {
  name: string;
  version: string;
  galvanic?: unknown;
  [field: string]: unknown;
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Manifest;
const writeJson = (path: string, value: unknown) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
};

/** The package.json of every workspace package (pnpm-workspace.yaml's folders). */
function workspaceManifests(): string[] {
  const inFolders = ['services', 'packages', 'examples'].flatMap((folder) =>
    readdirSync(join(ROOT, folder)).map((name) => `${folder}/${name}/package.json`),
  );
  return [...inFolders, 'bench/package.json'].filter((file) => existsSync(join(ROOT, file)));
}

/**
 * Production dependencies of the services, installed from the lockfile into a flat
 * node_modules (npm's layout), as `pnpm install --prod` would for the services alone.
 */
function installProductionDependencies(out: string): void {
  for (const file of [
    'package.json',
    'pnpm-lock.yaml',
    'pnpm-workspace.yaml',
    ...workspaceManifests(),
  ]) {
    cpSync(join(ROOT, file), join(out, file));
  }
  execFileSync(
    'pnpm',
    [
      'install',
      '--frozen-lockfile',
      '--prod',
      '--prefer-offline',
      '--config.node-linker=hoisted',
      '--config.confirmModulesPurge=false',
      ...SERVICES.flatMap((name) => ['--filter', `${name}...`]),
    ],
    { cwd: out, stdio: 'inherit', env: { ...process.env, CI: 'true' } },
  );
  // The workspace's own packages were linked in; they are replaced by compiled ones below.
  const modules = join(out, 'node_modules');
  const scoped = existsSync(join(modules, '@galvanic'))
    ? readdirSync(join(modules, '@galvanic'))
    : [];
  for (const entry of [...readdirSync(modules), ...scoped.map((name) => `@galvanic/${name}`)]) {
    if (lstatSync(join(modules, entry)).isSymbolicLink()) rmSync(join(modules, entry));
  }
  for (const dir of [
    'services',
    'packages',
    'examples',
    'bench',
    'pnpm-lock.yaml',
    'pnpm-workspace.yaml',
  ]) {
    rmSync(join(out, dir), { recursive: true, force: true });
  }
}

function workspaceNames(): Set<string> {
  return new Set(workspaceManifests().map((file) => readJson(join(ROOT, file)).name));
}

/**
 * Bundles the workspace's code into each output; leaves out, as imports resolved at run time,
 * third-party packages (installed in node_modules), the SDK (one copy, shared with third-party
 * drivers) and the built-in driver packages (loaded by name, like any driver package).
 */
function externals(workspace: Set<string>): Plugin {
  const shared = new Set([SDK, ...BUILTIN_DRIVERS.map((name) => `@galvanic/${name}`)]);
  return {
    name: 'galvanic-externals',
    setup(setup) {
      setup.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return { external: true };
        const name = args.path.startsWith('@')
          ? args.path.split('/').slice(0, 2).join('/')
          : args.path.split('/')[0]!;
        if (workspace.has(name) && !shared.has(name)) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

async function bundle(entry: string, outfile: string, workspace: Set<string>): Promise<void> {
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['galvanic-source'],
    keepNames: true,
    logLevel: 'warning',
    plugins: [externals(workspace)],
    banner: {
      js: "import { createRequire as __galvanicCreateRequire } from 'node:module'; const require = __galvanicCreateRequire(import.meta.url);",
    },
  });
}

/** The SDK as `npm pack` would ship it, without the workspace's source condition. */
function installSdk(out: string): void {
  const target = join(out, 'node_modules', SDK);
  const source = join(ROOT, 'packages/driver-sdk');
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(source, 'tsconfig.build.json'),
      '--outDir',
      join(target, 'dist'),
    ],
    { stdio: 'inherit' },
  );
  const manifest = readJson(join(source, 'package.json'));
  const exportsMap = manifest.exports as Record<string, Record<string, string> | string>;
  for (const value of Object.values(exportsMap)) {
    if (typeof value === 'object') delete value['galvanic-source'];
  }
  delete manifest.devDependencies;
  delete manifest.scripts;
  writeJson(join(target, 'package.json'), manifest);
  cpSync(join(source, 'README.md'), join(target, 'README.md'));
}

async function installBuiltinDrivers(out: string, workspace: Set<string>): Promise<void> {
  for (const dir of BUILTIN_DRIVERS) {
    const manifest = readJson(join(ROOT, 'packages', dir, 'package.json'));
    const target = join(out, 'node_modules', manifest.name);
    await bundle(`packages/${dir}/src/index.ts`, join(target, 'dist/index.js'), workspace);
    writeJson(join(target, 'package.json'), {
      name: manifest.name,
      version: manifest.version,
      type: 'module',
      exports: { '.': './dist/index.js' },
      peerDependencies: {
        [SDK]: `^${readJson(join(ROOT, 'packages/driver-sdk/package.json')).version}`,
      },
      galvanic: manifest.galvanic,
    });
  }
}

async function main(): Promise<void> {
  const outArg = process.argv[2];
  if (!outArg) throw new Error('usage: scripts/build-dist.sh <out>');
  const out = resolve(outArg);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  installProductionDependencies(out);
  const workspace = workspaceNames();
  installSdk(out);
  await installBuiltinDrivers(out, workspace);
  for (const [file, entry] of Object.entries(ENTRY_POINTS)) {
    await bundle(entry, join(out, 'bin', file), workspace);
  }
  const root = readJson(join(ROOT, 'package.json'));
  writeJson(join(out, 'package.json'), {
    name: 'galvanic',
    private: true,
    type: 'module',
    description: root.description,
    engines: root.engines,
  });
  if (!existsSync(join(out, 'bin', 'galvanic-api.js'))) throw new Error('build produced no api');
  process.stdout.write(`built ${out}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
