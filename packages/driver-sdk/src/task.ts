import type { GroupValues, OptionGroup, OptionGroupSpec } from './options.js';
import type { InterfaceByKind } from './interfaces/kinds.js';
import { UnsupportedDriverExtension } from './errors.js';
import type { HardwareInterface } from './interfaces/base.js';
import { INTERFACE_KINDS, type InterfaceKind } from './kinds.js';
import type { NodeView } from './node.js';

/** The logger a driver writes to; lines carry the request id and node of the task. */
export interface DriverLogger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
}

/** Reads a driver's own option group, already validated at conductor start. */
export interface ConfigReader {
  get<G extends OptionGroupSpec>(group: OptionGroup<G>): GroupValues<G>;
}

/** What an interface receives when the conductor builds it, once, at start. */
export interface DriverEnvironment {
  readonly config: ConfigReader;
  readonly logger: DriverLogger;
}

/**
 * The interfaces of a node's driver, typed by kind: `task.driver.power.getPowerState(task)`,
 * `task.driver.management.setBootDevice(task, 'pxe', false)`.
 */
export type DriverView = {
  /** The hardware type's name, e.g. `fake-hardware`. */
  readonly name: string;
  /** The implementation chosen for each kind, by its name, e.g. `{ power: 'fake' }`. */
  readonly interfaceNames: Readonly<Record<InterfaceKind, string>>;
  /** The implementation of one kind; the same as `task.driver[kind]`. */
  interfaceOf<K extends InterfaceKind>(kind: K): InterfaceByKind[K];
} & { readonly [K in InterfaceKind]: InterfaceByKind[K] };

/**
 * Builds a driver's view from its implementation names and a lookup of the implementations; a
 * kind whose implementation is missing refuses with UnsupportedDriverExtension when used.
 */
export function driverView(
  name: string,
  interfaceNames: Readonly<Record<InterfaceKind, string>>,
  implementation: (kind: InterfaceKind, name: string) => HardwareInterface | undefined,
): DriverView {
  const interfaceOf = <K extends InterfaceKind>(kind: K): InterfaceByKind[K] => {
    const found = implementation(kind, interfaceNames[kind]);
    if (!found) throw new UnsupportedDriverExtension(name, kind);
    return found as InterfaceByKind[K];
  };
  const view = { name, interfaceNames, interfaceOf };
  for (const kind of INTERFACE_KINDS) {
    Object.defineProperty(view, kind, { enumerable: true, get: () => interfaceOf(kind) });
  }
  return view as DriverView;
}

/**
 * Everything one driver call runs with: the node (under its lock), its driver, a logger, and a
 * signal that aborts when the caller's deadline passes or the conductor must stop.
 */
export interface TaskContext {
  readonly node: NodeView;
  readonly driver: DriverView;
  readonly logger: DriverLogger;
  readonly signal: AbortSignal;
  /** Whether the task holds the node's shared lock only (read-only work). */
  readonly shared: boolean;
  /** The request that started the task, for log lines and errors. */
  readonly requestId: string;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
