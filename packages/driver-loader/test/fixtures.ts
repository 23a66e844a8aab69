import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTERFACE_KINDS, REQUIRED_METHODS, type InterfaceKind } from '@galvanic/driver-sdk';

const BASES: Record<InterfaceKind, string> = {
  bios: 'BiosInterface',
  boot: 'BootInterface',
  console: 'ConsoleInterface',
  deploy: 'DeployInterface',
  firmware: 'FirmwareInterface',
  inspect: 'InspectInterface',
  management: 'ManagementInterface',
  network: 'NetworkInterface',
  power: 'PowerInterface',
  raid: 'RaidInterface',
  rescue: 'RescueInterface',
  storage: 'StorageInterface',
  vendor: 'VendorInterface',
};

export function className(kind: InterfaceKind, name: string): string {
  const words = `${name}-${kind}`.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1));
  return words.join('');
}

/** JS source of an interface class implementing every required method of its kind. */
export function interfaceSource(kind: InterfaceKind, name: string, omit: string[] = []): string {
  const methods = REQUIRED_METHODS[kind]
    .filter((m) => m !== 'getProperties' && !omit.includes(m))
    .map((m) => `  async ${m}() { return undefined; }`)
    .join('\n');
  return `export class ${className(kind, name)} extends sdk.${BASES[kind]} {
  constructor(env) { super(env); globalThis.__constructed = (globalThis.__constructed ?? []).concat('${kind}:${name}'); }
${methods}
}`;
}

/** JS source of a hardware type whose supported lists are given per kind. */
export function hardwareTypeSource(
  exportName: string,
  supported: Partial<Record<InterfaceKind, string[]>>,
): string {
  const getters = INTERFACE_KINDS.map((kind) => {
    const getter = `supported${kind[0]!.toUpperCase()}${kind.slice(1)}Interfaces`;
    return `  get ${getter}() { return ${JSON.stringify(supported[kind] ?? [`base`])}; }`;
  }).join('\n');
  return `export class ${exportName} extends sdk.HardwareType {\n${getters}\n}`;
}

export interface FixturePackage {
  name: string;
  galvanic: unknown;
  source: string;
}

/** A folder of installed packages, as node_modules, each with a package.json and an index.js. */
export class FixtureInstall {
  readonly root: string;

  constructor() {
    this.root = mkdtempSync(join(import.meta.dirname, '.installed-'));
  }

  add(pkg: FixturePackage): void {
    const dir = join(this.root, 'node_modules', ...pkg.name.split('/'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: pkg.name,
        version: '1.2.3',
        type: 'module',
        main: 'index.js',
        galvanic: pkg.galvanic,
      }),
    );
    writeFileSync(
      join(dir, 'index.js'),
      `import * as sdk from '@galvanic/driver-sdk';\n${pkg.source}\n`,
    );
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A package with a `base` implementation of every kind and a hardware type using only those. */
export function basePackage(name = 'base-drivers'): FixturePackage {
  const interfaces: Record<string, Record<string, string>> = {};
  const sources: string[] = [];
  for (const kind of INTERFACE_KINDS) {
    interfaces[kind] = { base: className(kind, 'base') };
    sources.push(interfaceSource(kind, 'base'));
  }
  sources.push(hardwareTypeSource('BaseHardware', {}));
  return {
    name,
    galvanic: { sdkApiVersion: 1, hardwareTypes: { 'base-hardware': 'BaseHardware' }, interfaces },
    source: sources.join('\n'),
  };
}
