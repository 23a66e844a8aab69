/**
 * The driver author's test kit: build an interface with its options, make a node and a task, and
 * call the interface as the conductor would, with no database or message bus.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolveGroup, type RawConfig } from '../options.js';
import { hardwareTypeClassProblem, interfaceClassProblem } from '../contract.js';
import type { HardwareInterface } from '../interfaces/base.js';
import type { HardwareType } from '../hardware-type.js';
import { checkManifest, SDK_API_VERSION, type DriverManifest } from '../manifest.js';
import { INTERFACE_KINDS, type InterfaceKind } from '../kinds.js';
import type { NodeView } from '../node.js';
import {
  driverView,
  type ConfigReader,
  type DriverEnvironment,
  type DriverLogger,
  type TaskContext,
} from '../task.js';

export interface LogRecord {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta?: Record<string, unknown>;
}

/** A logger that keeps what it is told, for assertions. */
export function recordingLogger(): DriverLogger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  const at = (level: LogRecord['level']) => (message: string, meta?: Record<string, unknown>) => {
    records.push({ level, message, meta });
  };
  return { records, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** Option values by section and option, as they would appear in the config file. */
export type TestOptions = Record<string, Record<string, unknown>>;

export function configReader(options: TestOptions = {}): ConfigReader {
  const raw: RawConfig = new Map();
  for (const [section, values] of Object.entries(options)) {
    raw.set(
      section.toLowerCase(),
      new Map(
        Object.entries(values).map(([name, value]) => [
          name.toLowerCase(),
          { value, source: 'test' },
        ]),
      ),
    );
  }
  return { get: (group) => resolveGroup(raw, group) };
}

export function makeEnvironment(
  options: TestOptions = {},
): DriverEnvironment & { logger: ReturnType<typeof recordingLogger> } {
  return { config: configReader(options), logger: recordingLogger() };
}

type InterfaceClass<T extends HardwareInterface> = new (env: DriverEnvironment) => T;

/** Builds an interface as the conductor does at start, with the given options. */
export function buildInterface<T extends HardwareInterface>(
  cls: InterfaceClass<T>,
  options: TestOptions = {},
): T {
  return new cls(makeEnvironment(options));
}

export function makeNode(overrides: Partial<NodeView> = {}): NodeView {
  return {
    id: 1,
    uuid: randomUUID(),
    name: null,
    driver: 'fake-hardware',
    driverInfo: {},
    driverInternalInfo: {},
    instanceInfo: {},
    properties: {},
    extra: {},
    provisionState: 'enroll',
    powerState: null,
    ports: [],
    ...overrides,
  };
}

export interface TestTaskOptions {
  node?: Partial<NodeView>;
  driverName?: string;
  interfaces?: Partial<Record<InterfaceKind, HardwareInterface>>;
  shared?: boolean;
  signal?: AbortSignal;
}

/** A task as the conductor hands it to a driver method. */
export function makeTask(
  options: TestTaskOptions = {},
): TaskContext & { logger: ReturnType<typeof recordingLogger> } {
  const interfaces = options.interfaces ?? {};
  const names = Object.fromEntries(
    INTERFACE_KINDS.map((kind) => [kind, interfaces[kind] ? 'test' : 'none']),
  ) as Record<InterfaceKind, string>;
  return {
    node: makeNode({ driver: options.driverName ?? 'fake-hardware', ...options.node }),
    driver: driverView(options.driverName ?? 'fake-hardware', names, (kind) => interfaces[kind]),
    logger: recordingLogger(),
    signal: options.signal ?? new AbortController().signal,
    shared: options.shared ?? false,
    requestId: `req-${randomUUID()}`,
  };
}

/**
 * Checks a driver package as the conductor will when it loads it: the `galvanic` field of its
 * package.json, and that every name it declares is an export of the right kind with the methods
 * that kind needs. Returns the problems; a package the conductor will load returns none.
 *
 * ```ts
 * import * as exported from '../src.js';
 * expect(checkDriverPackage(new URL('../package.json', import.meta.url), exported)).toEqual([]);
 * ```
 */
export function checkDriverPackage(packageJson: URL, exported: Record<string, unknown>): string[] {
  const json = JSON.parse(readFileSync(packageJson, 'utf8')) as { galvanic?: unknown };
  const problems = checkManifest(json.galvanic);
  if (problems.length > 0) return problems;
  const manifest = json.galvanic as DriverManifest;
  if (manifest.sdkApiVersion !== SDK_API_VERSION) {
    problems.push(
      `targets SDK API version ${manifest.sdkApiVersion}, this SDK is ${SDK_API_VERSION}`,
    );
  }
  const lookUp = (what: string, exportName: string): unknown => {
    if (!(exportName in exported)) problems.push(`${what}: "${exportName}" is not exported`);
    return exported[exportName];
  };
  for (const [name, exportName] of Object.entries(manifest.hardwareTypes ?? {})) {
    const value = lookUp(`hardware type ${name}`, exportName);
    const problem = value === undefined ? undefined : hardwareTypeClassProblem(value);
    if (problem) problems.push(`hardware type ${name}: ${problem}`);
  }
  for (const [kind, declared] of Object.entries(manifest.interfaces ?? {}) as [
    InterfaceKind,
    Record<string, string>,
  ][]) {
    for (const [name, exportName] of Object.entries(declared)) {
      const value = lookUp(`${kind} interface ${name}`, exportName);
      const problem = value === undefined ? undefined : interfaceClassProblem(kind, value);
      if (problem) problems.push(`${kind} interface ${name}: ${problem}`);
    }
  }
  return problems;
}

/** A hardware type's supported implementations for every kind, to compare with a whole table. */
export function supportedInterfacesOf(
  type: HardwareType,
): Record<InterfaceKind, readonly string[]> {
  return Object.fromEntries(
    INTERFACE_KINDS.map((kind) => [kind, type.supportedInterfaces(kind)]),
  ) as Record<InterfaceKind, readonly string[]>;
}
