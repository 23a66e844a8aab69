import type { HardwareType } from '@galvanic/driver-sdk';
import {
  INTERFACE_KINDS,
  REQUIRED_METHODS,
  type DriverEnvironment,
  type HardwareInterface,
  type InterfaceKind,
  type OptionGroup,
} from '@galvanic/driver-sdk';
import { DriverLoadError } from '@galvanic/errors';
import { importDriverPackage, type DriverPackage } from './discover';

export type InterfaceClass = (new (env: DriverEnvironment) => HardwareInterface) & {
  readonly interfaceKind?: string;
  readonly optionGroups?: readonly OptionGroup[];
};
export type HardwareTypeClass = new () => HardwareType;

export interface CatalogEntry<T> {
  name: string;
  packageName: string;
  exportName: string;
  value: T;
}

/** Every hardware type and interface the installed packages declare, by name. */
export interface DriverCatalog {
  packages: DriverPackage[];
  hardwareTypes: Map<string, CatalogEntry<HardwareTypeClass>>;
  interfaces: Map<InterfaceKind, Map<string, CatalogEntry<InterfaceClass>>>;
}

function methodNames(cls: { prototype: object }): Set<string> {
  const names = new Set<string>();
  for (
    let proto: object | null = cls.prototype;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (typeof descriptor?.value === 'function' || descriptor?.get) names.add(key);
    }
  }
  return names;
}

function checkInterfaceClass(what: string, kind: InterfaceKind, value: unknown): InterfaceClass {
  if (typeof value !== 'function')
    throw new DriverLoadError(what, 'the declared export is not a class');
  const cls = value as InterfaceClass;
  if (cls.interfaceKind !== kind) {
    throw new DriverLoadError(
      what,
      `the class is declared as a ${kind} interface but does not extend the SDK's ${kind} base class${cls.interfaceKind ? ` (it is a ${cls.interfaceKind} interface)` : ''}`,
    );
  }
  const present = methodNames(cls);
  const missing = REQUIRED_METHODS[kind].filter((method) => !present.has(method));
  if (missing.length > 0) {
    throw new DriverLoadError(what, `the class does not implement ${missing.join(', ')}`);
  }
  return cls;
}

function checkHardwareTypeClass(what: string, value: unknown): HardwareTypeClass {
  if (typeof value !== 'function')
    throw new DriverLoadError(what, 'the declared export is not a class');
  const present = methodNames(value as { prototype: object });
  const missing = INTERFACE_KINDS.map(
    (kind) => `supported${kind[0]!.toUpperCase()}${kind.slice(1)}Interfaces`,
  ).filter((getter) => !present.has(getter));
  if (!present.has('supportedInterfaces') || missing.length > 0) {
    throw new DriverLoadError(
      what,
      `the class is not a hardware type (it lacks ${missing.length ? missing.join(', ') : 'supportedInterfaces'}); extend HardwareType or GenericHardware`,
    );
  }
  return value as HardwareTypeClass;
}

function exported(
  pkg: DriverPackage,
  module: Record<string, unknown>,
  what: string,
  exportName: string,
): unknown {
  if (!(exportName in module)) {
    throw new DriverLoadError(
      what,
      `package ${pkg.name} declares it as export "${exportName}", which its main module does not export`,
    );
  }
  return module[exportName];
}

/**
 * Imports every package and checks each declaration: the class exists, implements its kind,
 * and no two packages claim one name.
 */
export async function buildCatalog(packages: readonly DriverPackage[]): Promise<DriverCatalog> {
  const catalog: DriverCatalog = {
    packages: [...packages],
    hardwareTypes: new Map(),
    interfaces: new Map(INTERFACE_KINDS.map((kind) => [kind, new Map()])),
  };
  for (const pkg of packages) {
    const module = await importDriverPackage(pkg);
    for (const [name, exportName] of Object.entries(pkg.manifest.hardwareTypes ?? {})) {
      const what = `hardware type ${name}`;
      const clash = catalog.hardwareTypes.get(name);
      if (clash) {
        throw new DriverLoadError(what, `both ${clash.packageName} and ${pkg.name} declare it`);
      }
      const value = checkHardwareTypeClass(what, exported(pkg, module, what, exportName));
      catalog.hardwareTypes.set(name, { name, packageName: pkg.name, exportName, value });
    }
    for (const [kind, declared] of Object.entries(pkg.manifest.interfaces ?? {}) as [
      InterfaceKind,
      Record<string, string>,
    ][]) {
      const byName = catalog.interfaces.get(kind)!;
      for (const [name, exportName] of Object.entries(declared)) {
        const what = `${kind} interface ${name}`;
        const clash = byName.get(name);
        if (clash)
          throw new DriverLoadError(what, `both ${clash.packageName} and ${pkg.name} declare it`);
        const value = checkInterfaceClass(what, kind, exported(pkg, module, what, exportName));
        byName.set(name, { name, packageName: pkg.name, exportName, value });
      }
    }
  }
  return catalog;
}
