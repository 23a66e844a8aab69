import type { InterfaceKind } from '@galvanic/driver-sdk';

/**
 * Ironic's default interface rule: `default_<kind>_interface` when it is set and the hardware
 * type supports it (and it is enabled), otherwise the first implementation the type supports
 * that is enabled. Returns a reason instead when there is none.
 */
export function defaultInterface(
  kind: InterfaceKind,
  hardwareType: string,
  supported: readonly string[],
  enabled: readonly string[],
  configuredDefault: string | undefined,
): { name: string } | { reason: string } {
  if (
    configuredDefault &&
    supported.includes(configuredDefault) &&
    enabled.includes(configuredDefault)
  ) {
    return { name: configuredDefault };
  }
  const first = supported.find((name) => enabled.includes(name));
  if (first) return { name: first };
  return {
    reason:
      `hardware type ${hardwareType} supports ${kind} interfaces [${supported.join(', ')}], ` +
      `none of which is enabled in [DEFAULT] enabled_${kind}_interfaces [${enabled.join(', ')}]`,
  };
}
