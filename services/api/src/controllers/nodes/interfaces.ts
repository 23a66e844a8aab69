import type { ConductorDirectory } from '@galvanic/cluster';
import { INTERFACE_KINDS } from '@galvanic/config';
import { InvalidParameterValue, NoValidHost } from '@galvanic/errors';

/** Kinds a node names an implementation of; firmware came with API 1.86, past our 1.82. */
export const INTERFACE_FIELDS = INTERFACE_KINDS.filter((kind) => kind !== 'firmware');

/**
 * The interface columns of a node of `driver`: those given, checked against what live conductors
 * enabled for the hardware type, the others set to its defaults, as Ironic computes them.
 * A driver no live conductor of the group runs is refused with Ironic's 400 and wording.
 */
export async function resolveInterfaces(
  directory: ConductorDirectory,
  nodeUuid: string,
  driver: string,
  conductorGroup: string,
  given: Readonly<Record<string, unknown>>,
  resetUnset: boolean,
): Promise<Record<string, string>> {
  try {
    await directory.pick((d) => d.hostForNode(nodeUuid, driver, conductorGroup));
  } catch (error) {
    if (error instanceof NoValidHost) throw new InvalidParameterValue(error.message);
    throw error;
  }
  const available = directory.interfacesOf(driver);
  const resolved: Record<string, string> = {};
  for (const kind of INTERFACE_FIELDS) {
    const field = `${kind}_interface`;
    const choices = available?.get(kind);
    const wanted = given[field];
    if (typeof wanted === 'string') {
      if (!choices?.enabled.includes(wanted)) {
        throw new InvalidParameterValue(
          `${kind} interface implementation '${wanted}' is not supported by hardware type ${driver}. ` +
            `Enabled and supported: ${choices?.enabled.join(', ') || 'none'}.`,
        );
      }
      resolved[field] = wanted;
    } else if (wanted === null || resetUnset) {
      if (!choices?.default) {
        throw new InvalidParameterValue(
          `No default ${kind} interface is enabled for hardware type ${driver}.`,
        );
      }
      resolved[field] = choices.default;
    }
  }
  return resolved;
}
