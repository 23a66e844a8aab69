import { availableDrivers, discoverDrivers } from '@galvanic/driver-loader';
import { loadServiceConfig, runMain } from '@galvanic/runtime';
import { driverSearchPaths } from './drivers';

const USAGE = `usage: galvanic drivers available [--all] [--json] [--config-file FILE]

Lists every hardware type and interface installed (the built-in packages and those named in
[DEFAULT] driver_packages), with the package each comes from, enabled or not. Names starting
with "fake" are left out unless --all is given.`;

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

runMain('galvanic', async () => {
  const args = process.argv.slice(2);
  if (args[0] !== 'drivers' || args[1] !== 'available') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(args.includes('--help') || args.includes('-h') ? 0 : 2);
  }
  const { config } = loadServiceConfig({ driverSectionsCheckedLater: true });
  const catalog = await discoverDrivers(config.DEFAULT.driver_packages, driverSearchPaths());
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
