import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveGroup, type CoreConfig, type RawConfig } from '@galvanic/config';
import {
  discoverDrivers,
  loadDrivers,
  selectionFromConfig,
  type DriverCatalog,
  type DriverRegistry,
} from '@galvanic/driver-loader';
import type { OptionGroup } from '@galvanic/driver-sdk';
import type { Logger } from '@galvanic/logging';
import { checkAllOptionsKnown } from '@galvanic/runtime';

/**
 * Where driver packages are looked up: beside the conductor (its own install), then
 * `[DEFAULT] driver_path` (third-party packages), then the working directory.
 */
export function driverSearchPaths(config: Pick<CoreConfig, 'DEFAULT'>): string[] {
  return [
    dirname(fileURLToPath(import.meta.url)),
    resolve(config.DEFAULT.driver_path),
    process.cwd(),
  ];
}

/** Option groups every installed interface declares, enabled or not. */
function installedOptionGroups(catalog: DriverCatalog): OptionGroup[] {
  const groups = new Map<string, OptionGroup>();
  for (const byName of catalog.interfaces.values()) {
    for (const entry of byName.values()) {
      for (const group of entry.value.optionGroups ?? []) groups.set(group.name, group);
    }
  }
  return [...groups.values()];
}

/**
 * Discovers the built-in packages and those in `[DEFAULT] driver_packages`, builds what the
 * configuration enables, and checks every option in the file and environment is known.
 */
export async function loadConductorDrivers(
  config: CoreConfig,
  raw: RawConfig,
  logger: Logger,
): Promise<DriverRegistry> {
  const catalog = await discoverDrivers(config.DEFAULT.driver_packages, driverSearchPaths(config));
  checkAllOptionsKnown(raw, installedOptionGroups(catalog));
  const registry = loadDrivers({
    catalog,
    selection: selectionFromConfig(config.DEFAULT),
    config: { get: (group) => resolveGroup(raw, group) },
    logger,
  });
  for (const type of registry.hardwareTypes.values()) {
    logger.info('hardware type loaded', {
      hardware_type: type.name,
      package: type.packageName,
      defaults: type.defaults,
    });
  }
  return registry;
}
