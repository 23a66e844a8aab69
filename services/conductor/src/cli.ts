import { resolve } from 'node:path';
import { availableDrivers, discoverDrivers } from '@galvanic/driver-loader';
import { loadServiceConfig, runMain } from '@galvanic/runtime';
import { installDriverPackage, installedDriverPackages } from './driver-install';
import { driverSearchPaths } from './drivers';

const USAGE = `usage: galvanic drivers available [--all] [--json] [--config-file FILE]
       galvanic drivers install [--offline] [--config-file FILE] <tarball, directory or package>

available: lists every hardware type and interface installed (the built-in packages, those
installed in [DEFAULT] driver_path and those named in [DEFAULT] driver_packages), with the
package and version each comes from, enabled or not. Names starting with "fake" are left out
unless --all is given.

install: installs a driver package into [DEFAULT] driver_path with npm; its peer dependency on
@galvanic/driver-sdk is satisfied by this Galvanic's own SDK. Enable it with
[DEFAULT] driver_packages and enabled_hardware_types.`;

function table(rows: readonly Record<string, string>[], columns: readonly string[]): string {
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.toUpperCase())),
    ...rows.map((row) => line(columns.map((c) => row[c]!))),
  ].join('\n');
}

/** The arguments that are not options (nor the value of --config-file). */
function operands(args: readonly string[]): string[] {
  return args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--config-file');
}

runMain('galvanic', async () => {
  const args = process.argv.slice(2);
  const [group, command, spec, ...rest] = operands(args);
  const known =
    group === 'drivers' &&
    ((command === 'available' && spec === undefined) ||
      (command === 'install' && spec !== undefined && rest.length === 0));
  if (!known) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(args.includes('--help') || args.includes('-h') ? 0 : 2);
  }
  const { config } = loadServiceConfig({ driverSectionsCheckedLater: true });
  const driverPath = resolve(config.DEFAULT.driver_path);
  if (command === 'install') {
    await installDriverPackage(spec!, driverPath, { offline: args.includes('--offline') });
    for (const pkg of installedDriverPackages(driverPath)) {
      process.stdout.write(`installed in ${driverPath}: ${pkg.name}@${pkg.version}\n`);
    }
    return;
  }
  const installed = installedDriverPackages(driverPath).map((pkg) => pkg.name);
  const catalog = await discoverDrivers(
    [...installed, ...config.DEFAULT.driver_packages],
    driverSearchPaths(config),
  );
  const rows = availableDrivers(catalog, args.includes('--all'));
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `${table(
      rows.map((row) => ({
        kind: row.kind,
        name: row.name,
        package: `${row.package}@${row.version}`,
      })),
      ['kind', 'name', 'package'],
    )}\n`,
  );
});
