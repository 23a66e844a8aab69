import { InvalidParameterValue } from '../errors.js';

/**
 * Ironic's RAID configuration schema (`ironic/drivers/raid_config_schema.json`), checked by
 * hand with jsonschema's wording, so a driver package needs no schema library.
 */
const RAID_LEVELS = ['JBOD', '0', '1', '2', '5', '6', '1+0', '5+0', '6+0'] as const;
const DISK_TYPES = ['hdd', 'ssd'] as const;
const INTERFACE_TYPES = ['sata', 'scsi', 'sas'] as const;
const LOGICAL_DISK_PROPERTIES = new Set([
  'raid_level',
  'size_gb',
  'volume_name',
  'is_root_volume',
  'share_physical_disks',
  'disk_type',
  'interface_type',
  'number_of_physical_disks',
  'controller',
  'physical_disks',
]);

/** A value as Python's repr shows it in jsonschema's messages. */
function repr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(repr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(', ')}}`;
  }
  return String(value);
}

function invalid(message: string): InvalidParameterValue {
  return new InvalidParameterValue(`RAID config validation error: ${message}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf(value: unknown, allowed: readonly string[]): void {
  if (typeof value !== 'string') throw invalid(`${repr(value)} is not of type 'string'`);
  if (!allowed.includes(value)) throw invalid(`${repr(value)} is not one of ${repr(allowed)}`);
}

function checkLogicalDisk(disk: unknown): void {
  if (!isObject(disk)) throw invalid(`${repr(disk)} is not of type 'object'`);
  for (const required of ['raid_level', 'size_gb']) {
    if (!Object.hasOwn(disk, required)) throw invalid(`'${required}' is a required property`);
  }
  const extra = Object.keys(disk).filter((key) => !LOGICAL_DISK_PROPERTIES.has(key));
  if (extra.length > 0) {
    const list = extra.map((key) => repr(key)).join(', ');
    throw invalid(
      `Additional properties are not allowed (${list} ${extra.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  }
  oneOf(disk.raid_level, RAID_LEVELS);
  const size = disk.size_gb;
  if (!((Number.isInteger(size) && (size as number) >= 0) || size === 'MAX')) {
    throw invalid(`${repr(size)} is not valid under any of the given schemas`);
  }
  for (const flag of ['is_root_volume', 'share_physical_disks']) {
    if (disk[flag] !== undefined && typeof disk[flag] !== 'boolean')
      throw invalid(`${repr(disk[flag])} is not of type 'boolean'`);
  }
  for (const text of ['volume_name', 'controller']) {
    if (disk[text] !== undefined && typeof disk[text] !== 'string')
      throw invalid(`${repr(disk[text])} is not of type 'string'`);
  }
  if (disk.disk_type !== undefined) oneOf(disk.disk_type, DISK_TYPES);
  if (disk.interface_type !== undefined) oneOf(disk.interface_type, INTERFACE_TYPES);
  const count = disk.number_of_physical_disks;
  if (count !== undefined) {
    if (!Number.isInteger(count)) throw invalid(`${repr(count)} is not of type 'integer'`);
    if ((count as number) <= 0)
      throw invalid(`${repr(count)} is less than or equal to the minimum of 0`);
  }
  const physical = disk.physical_disks;
  if (physical !== undefined) {
    const names = Array.isArray(physical) && physical.every((d) => typeof d === 'string');
    const objects = Array.isArray(physical) && physical.length >= 2 && physical.every(isObject);
    if (!names && !objects)
      throw invalid(`${repr(physical)} is not valid under any of the given schemas`);
    if (disk.controller === undefined)
      throw invalid(`'controller' is a dependency of 'physical_disks'`);
  }
}

/**
 * Checks a target RAID configuration as Ironic's `raid.validate_configuration` does: the schema,
 * then at most one root volume; InvalidParameterValue (400) with Ironic's wording otherwise.
 */
export function validateRaidConfiguration(config: Record<string, unknown>): void {
  if (!Object.hasOwn(config, 'logical_disks'))
    throw invalid("'logical_disks' is a required property");
  const disks = config.logical_disks;
  if (!Array.isArray(disks)) throw invalid(`${repr(disks)} is not of type 'array'`);
  if (disks.length < 1) throw invalid('[] is too short');
  for (const disk of disks) checkLogicalDisk(disk);
  const roots = disks.filter((disk) => isObject(disk) && disk.is_root_volume === true);
  if (roots.length > 1) {
    throw new InvalidParameterValue(
      'Raid config cannot have more than one root volume. ' +
        `${roots.length} root volumes were specified`,
    );
  }
}
