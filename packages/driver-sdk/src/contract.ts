import { REQUIRED_METHODS } from './interfaces/base.js';
import { INTERFACE_KINDS, type InterfaceKind } from './kinds.js';

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

/**
 * Why a value declared as a `kind` interface cannot serve as one, or undefined when it can. The
 * check is structural, so a package built against its own copy of the SDK still passes.
 */
export function interfaceClassProblem(kind: InterfaceKind, value: unknown): string | undefined {
  if (typeof value !== 'function') return 'the declared export is not a class';
  const declaredKind = (value as { interfaceKind?: string }).interfaceKind;
  if (declaredKind !== kind) {
    return `the class is declared as a ${kind} interface but does not extend the SDK's ${kind} base class${declaredKind ? ` (it is a ${declaredKind} interface)` : ''}`;
  }
  const present = methodNames(value as { prototype: object });
  const missing = REQUIRED_METHODS[kind].filter((method) => !present.has(method));
  return missing.length > 0 ? `the class does not implement ${missing.join(', ')}` : undefined;
}

/** Why a value declared as a hardware type is not one, or undefined when it is. */
export function hardwareTypeClassProblem(value: unknown): string | undefined {
  if (typeof value !== 'function') return 'the declared export is not a class';
  const present = methodNames(value as { prototype: object });
  const missing = INTERFACE_KINDS.map(
    (kind) => `supported${kind[0]!.toUpperCase()}${kind.slice(1)}Interfaces`,
  ).filter((getter) => !present.has(getter));
  if (present.has('supportedInterfaces') && missing.length === 0) return undefined;
  return `the class is not a hardware type (it lacks ${missing.length ? missing.join(', ') : 'supportedInterfaces'}); extend HardwareType or GenericHardware`;
}
