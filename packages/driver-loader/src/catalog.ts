import type { HardwareType } from '@galvanic/driver-sdk';
import {
  hardwareTypeClassProblem,
  INTERFACE_KINDS,
  interfaceClassProblem,
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

function checkInterfaceClass(what: string, kind: InterfaceKind, value: unknown): InterfaceClass {
  const problem = interfaceClassProblem(kind, value);
  if (problem) throw new DriverLoadError(what, problem);
  return value as InterfaceClass;
}

function checkHardwareTypeClass(what: string, value: unknown): HardwareTypeClass {
  const problem = hardwareTypeClassProblem(value);
  if (problem) throw new DriverLoadError(what, problem);
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
