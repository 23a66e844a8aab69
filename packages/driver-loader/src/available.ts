import { INTERFACE_KINDS } from '@galvanic/driver-sdk';
import { buildCatalog, type DriverCatalog } from './catalog';
import { findDriverPackage } from './discover';

/** The packages every conductor loads: declared like any third-party package, nothing special. */
export const BUILTIN_DRIVER_PACKAGES: readonly string[] = [
  '@galvanic/driver-generic',
  '@galvanic/driver-fake',
  '@galvanic/driver-ipmi',
  '@galvanic/driver-redfish',
];

/** Finds, checks and imports the built-in packages and those named in `[DEFAULT] driver_packages`. */
export async function discoverDrivers(
  extraPackages: readonly string[],
  resolveFrom: readonly string[],
): Promise<DriverCatalog> {
  const names = [...new Set([...BUILTIN_DRIVER_PACKAGES, ...extraPackages])];
  return buildCatalog(names.map((name) => findDriverPackage(name, resolveFrom)));
}

export interface AvailableDriver {
  kind: 'hardware type' | `${(typeof INTERFACE_KINDS)[number]} interface`;
  name: string;
  package: string;
  version: string;
}

/** What is installed, enabled or not; names starting with `fake` only when asked for. */
export function availableDrivers(catalog: DriverCatalog, includeFake: boolean): AvailableDriver[] {
  const versions = new Map(catalog.packages.map((pkg) => [pkg.name, pkg.version]));
  const rows: AvailableDriver[] = [];
  const keep = (name: string) => includeFake || !name.startsWith('fake');
  for (const entry of catalog.hardwareTypes.values()) {
    if (keep(entry.name)) {
      rows.push({
        kind: 'hardware type',
        name: entry.name,
        package: entry.packageName,
        version: versions.get(entry.packageName) ?? '',
      });
    }
  }
  for (const kind of INTERFACE_KINDS) {
    for (const entry of catalog.interfaces.get(kind)!.values()) {
      if (keep(entry.name)) {
        rows.push({
          kind: `${kind} interface`,
          name: entry.name,
          package: entry.packageName,
          version: versions.get(entry.packageName) ?? '',
        });
      }
    }
  }
  return rows;
}
