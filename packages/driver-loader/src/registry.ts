import {
  INTERFACE_KINDS,
  describeProperty,
  passthruMethodsOf,
  serviceStepsOf,
  stepsOf,
  type ConfigReader,
  type DriverLogger,
  type HardwareInterface,
  type HardwareType,
  type InterfaceKind,
  type OptionGroup,
  type PassthruMethodInfo,
  type StepKind,
} from '@galvanic/driver-sdk';
import { DriverLoadError } from '@galvanic/errors';
import type { DriverCatalog } from './catalog';
import { defaultInterface } from './defaults';
import type { DriverSelection } from './selection';

/** A hardware type as one conductor runs it. */
export interface LoadedHardwareType {
  name: string;
  packageName: string;
  instance: HardwareType;
  /** Per kind: the implementations both supported and enabled, most preferred first. */
  enabled: Readonly<Record<InterfaceKind, readonly string[]>>;
  defaults: Readonly<Record<InterfaceKind, string>>;
}

/** One row of what a conductor registers: an enabled implementation of a hardware type. */
export interface EnabledInterfaceRow {
  hardwareType: string;
  interfaceType: InterfaceKind;
  interfaceName: string;
  isDefault: boolean;
}

/** A step as Ironic lists it. */
export interface ListedStep {
  interface: InterfaceKind;
  step: string;
  priority: number;
  argsinfo: Record<string, unknown> | null;
  abortable?: boolean;
  /** Whether the step needs the deploy ramdisk (`disable_ramdisk`: cleaning 1.70, servicing 1.108). */
  requiresRamdisk?: boolean;
}

/** The kinds of steps a conductor runs: deploy, clean, and service (API 1.87). */
export type ListedStepKind = StepKind | 'service';

/**
 * When two steps share a priority, the one whose interface ranks higher here runs first, as in
 * Ironic; interfaces not listed rank last.
 */
const STEP_INTERFACE_RANK: Record<ListedStepKind, Partial<Record<InterfaceKind, number>>> = {
  deploy: { deploy: 6, power: 5, management: 4, bios: 3, raid: 2, firmware: 1 },
  clean: { vendor: 7, power: 6, management: 5, deploy: 4, bios: 3, raid: 2, firmware: 1 },
  service: { vendor: 7, power: 6, management: 5, deploy: 4, bios: 3, raid: 2, firmware: 1 },
};

/** The drivers one conductor loaded: enabled hardware types and interface instances. */
export class DriverRegistry {
  constructor(
    readonly hardwareTypes: ReadonlyMap<string, LoadedHardwareType>,
    private readonly interfaces: ReadonlyMap<InterfaceKind, ReadonlyMap<string, HardwareInterface>>,
    readonly optionGroups: readonly OptionGroup[],
  ) {}

  /** Lets every built implementation release what it holds; called when the conductor stops. */
  async close(): Promise<void> {
    for (const byName of this.interfaces.values()) {
      for (const implementation of byName.values()) await implementation.close();
    }
  }

  hardwareType(name: string): LoadedHardwareType | undefined {
    return this.hardwareTypes.get(name);
  }

  implementation(kind: InterfaceKind, name: string): HardwareInterface | undefined {
    return this.interfaces.get(kind)?.get(name);
  }

  /** What this conductor registers, so the API and routing know its drivers. */
  registration(): EnabledInterfaceRow[] {
    const rows: EnabledInterfaceRow[] = [];
    for (const type of this.hardwareTypes.values()) {
      for (const kind of INTERFACE_KINDS) {
        for (const name of type.enabled[kind]) {
          rows.push({
            hardwareType: type.name,
            interfaceType: kind,
            interfaceName: name,
            isDefault: type.defaults[kind] === name,
          });
        }
      }
    }
    return rows;
  }

  /** The `driver_info` properties of a hardware type: those of its default interfaces, as Ironic shows. */
  properties(hardwareType: string): Record<string, string> {
    const type = this.require(hardwareType);
    const properties: Record<string, string> = {};
    for (const kind of INTERFACE_KINDS) {
      const table = this.implementation(kind, type.defaults[kind])?.getProperties() ?? {};
      for (const [name, spec] of Object.entries(table)) properties[name] = describeProperty(spec);
    }
    return properties;
  }

  /** Driver-level passthru methods of a hardware type's default vendor interface. */
  driverPassthruMethods(hardwareType: string): Map<string, PassthruMethodInfo> {
    const type = this.require(hardwareType);
    const vendor = this.implementation('vendor', type.defaults.vendor);
    const methods = vendor ? passthruMethodsOf(vendor) : new Map<string, PassthruMethodInfo>();
    return new Map([...methods].filter(([, info]) => info.scope === 'driver'));
  }

  /**
   * The deploy, clean or service steps of a set of interfaces (a node's), ordered as Ironic
   * orders them: priority first, then the interface's rank.
   */
  steps(
    kind: ListedStepKind,
    interfaceNames: Readonly<Record<InterfaceKind, string>>,
  ): ListedStep[] {
    const listed: ListedStep[] = [];
    for (const iface of INTERFACE_KINDS) {
      const implementation = this.implementation(iface, interfaceNames[iface]);
      if (!implementation) continue;
      const declared =
        kind === 'service' ? serviceStepsOf(implementation) : stepsOf(implementation, kind);
      for (const step of declared) {
        listed.push({
          interface: iface,
          step: step.name,
          priority: step.priority,
          argsinfo: step.argsinfo ?? null,
          ...(kind === 'deploy' ? {} : { abortable: step.abortable }),
          requiresRamdisk: step.requiresRamdisk,
        });
      }
    }
    const rank = STEP_INTERFACE_RANK[kind];
    return listed.sort(
      (a, b) => b.priority - a.priority || (rank[b.interface] ?? 0) - (rank[a.interface] ?? 0),
    );
  }

  private require(name: string): LoadedHardwareType {
    const type = this.hardwareTypes.get(name);
    if (!type) throw new DriverLoadError(name, 'this conductor has not loaded it');
    return type;
  }
}

export interface LoadOptions {
  catalog: DriverCatalog;
  selection: DriverSelection;
  config: ConfigReader;
  logger: DriverLogger;
}

/** The enabled hardware types, instantiated; refuses a name no installed package declares. */
function enabledHardwareTypes(catalog: DriverCatalog, names: readonly string[]) {
  if (names.length === 0)
    throw new DriverLoadError('enabled_hardware_types', 'no hardware type is enabled');
  return names.map((name) => {
    const entry = catalog.hardwareTypes.get(name);
    if (!entry) {
      throw new DriverLoadError(
        `hardware type ${name}`,
        `[DEFAULT] enabled_hardware_types names it, but no installed package declares it (installed: ${[...catalog.hardwareTypes.keys()].join(', ') || 'none'})`,
      );
    }
    return { name, packageName: entry.packageName, instance: new entry.value() };
  });
}

/**
 * The enabled implementations of one kind: the operator's list, checked against what is
 * installed; or, when the operator left it unset, every installed implementation that an
 * enabled hardware type supports, so enabling a type is enough to use it.
 */
function enabledImplementations(
  kind: InterfaceKind,
  catalog: DriverCatalog,
  selection: DriverSelection,
  types: readonly { name: string; instance: HardwareType }[],
): readonly string[] {
  const installed = catalog.interfaces.get(kind)!;
  const listed = selection.interfaces[kind];
  if (listed) {
    for (const name of listed) {
      if (!installed.has(name)) {
        throw new DriverLoadError(
          `${kind} interface ${name}`,
          `[DEFAULT] enabled_${kind}_interfaces names it, but no installed package declares it (installed: ${[...installed.keys()].join(', ') || 'none'})`,
        );
      }
    }
    return listed;
  }
  const derived: string[] = [];
  for (const type of types) {
    const supported = type.instance.supportedInterfaces(kind);
    const usable = supported.filter((name) => installed.has(name));
    if (usable.length === 0) {
      throw new DriverLoadError(
        `hardware type ${type.name}`,
        `it supports ${kind} interfaces [${supported.join(', ')}], none of which is installed`,
      );
    }
    for (const name of usable) if (!derived.includes(name)) derived.push(name);
  }
  return derived;
}

/**
 * Builds what the selection enables, and only that. Refuses, naming the culprit, an unknown
 * enabled name, a default that is not enabled, and an enabled hardware type left without an
 * enabled implementation of some kind.
 */
export function loadDrivers({ catalog, selection, config, logger }: LoadOptions): DriverRegistry {
  const types = enabledHardwareTypes(catalog, selection.hardwareTypes);
  const enabledByKind = new Map<InterfaceKind, readonly string[]>();
  for (const kind of INTERFACE_KINDS) {
    const enabled = enabledImplementations(kind, catalog, selection, types);
    const chosen = selection.defaults[kind];
    if (chosen && !enabled.includes(chosen)) {
      throw new DriverLoadError(
        `${kind} interface ${chosen}`,
        `[DEFAULT] default_${kind}_interface names it, but it is not enabled (enabled: ${enabled.join(', ')})`,
      );
    }
    enabledByKind.set(kind, enabled);
  }

  const optionGroups = new Map<string, OptionGroup>();
  const interfaces = new Map<InterfaceKind, Map<string, HardwareInterface>>();
  for (const kind of INTERFACE_KINDS) {
    const built = new Map<string, HardwareInterface>();
    for (const name of enabledByKind.get(kind)!) {
      const entry = catalog.interfaces.get(kind)!.get(name)!;
      for (const group of entry.value.optionGroups ?? []) {
        optionGroups.set(group.name, group);
        config.get(group); // validates its values now, at start, naming a bad option
      }
      try {
        built.set(name, new entry.value({ config, logger }));
      } catch (error) {
        throw new DriverLoadError(
          `${kind} interface ${name}`,
          `constructing it failed: ${(error as Error).message}`,
        );
      }
    }
    interfaces.set(kind, built);
  }

  const hardwareTypes = new Map<string, LoadedHardwareType>();
  for (const type of types) {
    const enabled = {} as Record<InterfaceKind, readonly string[]>;
    const defaults = {} as Record<InterfaceKind, string>;
    for (const kind of INTERFACE_KINDS) {
      const supported = type.instance.supportedInterfaces(kind);
      const enabledHere = enabledByKind.get(kind)!;
      enabled[kind] = supported.filter((impl) => enabledHere.includes(impl));
      const chosen = defaultInterface(
        kind,
        type.name,
        supported,
        enabledHere,
        selection.defaults[kind],
      );
      if ('reason' in chosen)
        throw new DriverLoadError(`hardware type ${type.name}`, chosen.reason);
      defaults[kind] = chosen.name;
    }
    hardwareTypes.set(type.name, { ...type, enabled, defaults });
  }
  return new DriverRegistry(hardwareTypes, interfaces, [...optionGroups.values()]);
}
