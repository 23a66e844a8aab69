import type { GroupValues, OptionGroup, OptionGroupSpec } from './options';
import type { InterfaceKind } from './kinds';
import type { NodeView } from './node';

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

/** The interfaces of a node's driver, by kind. */
export interface DriverView {
  /** The hardware type's name, e.g. `fake-hardware`. */
  readonly name: string;
  /** The implementation chosen for each kind, by its name, e.g. `{ power: 'fake' }`. */
  readonly interfaceNames: Readonly<Record<InterfaceKind, string>>;
  interfaceOf<K extends InterfaceKind>(kind: K): unknown;
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
