import { INTERFACE_KINDS, type InterfaceKind } from './kinds.js';

/**
 * The driver API version of this SDK. A package declares the version it targets; the conductor
 * loads it only when the major versions match.
 */
export const SDK_API_VERSION = 1;

/**
 * What a package declares under `galvanic` in its package.json, the twin of setuptools entry
 * points: names mapped to the classes its main module exports.
 *
 * ```json
 * "galvanic": {
 *   "sdkApiVersion": 1,
 *   "hardwareTypes": { "acme-hardware": "AcmeHardware" },
 *   "interfaces": { "power": { "acme": "AcmePower" }, "management": { "acme": "AcmeManagement" } }
 * }
 * ```
 */
export interface DriverManifest {
  sdkApiVersion: number;
  hardwareTypes?: Record<string, string>;
  interfaces?: Partial<Record<InterfaceKind, Record<string, string>>>;
}

const NAME = /^[a-z][a-z0-9-]*$/;

/** Checks a `galvanic` field; returns the problems found, empty when it is well formed. */
export function checkManifest(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return ['the "galvanic" field must be an object'];
  }
  const manifest = value as Record<string, unknown>;
  const problems: string[] = [];
  if (!Number.isInteger(manifest.sdkApiVersion)) {
    problems.push('"galvanic.sdkApiVersion" must be an integer');
  }
  const checkNames = (where: string, map: unknown) => {
    if (map === undefined) return;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      problems.push(`"${where}" must map names to exported class names`);
      return;
    }
    for (const [name, exported] of Object.entries(map)) {
      if (!NAME.test(name))
        problems.push(`"${where}.${name}": names are lower case words joined by dashes`);
      if (typeof exported !== 'string' || exported === '') {
        problems.push(`"${where}.${name}" must name an exported class`);
      }
    }
  };
  checkNames('galvanic.hardwareTypes', manifest.hardwareTypes);
  const interfaces = manifest.interfaces;
  if (interfaces !== undefined) {
    if (typeof interfaces !== 'object' || interfaces === null || Array.isArray(interfaces)) {
      problems.push('"galvanic.interfaces" must map interface kinds to implementations');
    } else {
      for (const [kind, map] of Object.entries(interfaces)) {
        if (!(INTERFACE_KINDS as readonly string[]).includes(kind)) {
          problems.push(
            `"galvanic.interfaces.${kind}" is not an interface kind (${INTERFACE_KINDS.join(', ')})`,
          );
        } else {
          checkNames(`galvanic.interfaces.${kind}`, map);
        }
      }
    }
  }
  return problems;
}
