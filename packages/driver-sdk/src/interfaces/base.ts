import type { OptionGroup } from '../options.js';
import type { InterfaceKind } from '../kinds.js';
import type { PropertyTable } from '../properties.js';
import type { DriverEnvironment, TaskContext } from '../task.js';

/**
 * The root of every hardware interface. The conductor builds each enabled implementation once,
 * at start, with its environment (its options and a logger), and shares it across nodes: keep
 * per-node state on the node, not on the instance.
 */
export abstract class HardwareInterface {
  /** The kind this class implements; set by each kind's base class. */
  static readonly interfaceKind: InterfaceKind;
  /** Option groups this implementation reads, validated when the conductor starts. */
  static readonly optionGroups: readonly OptionGroup[] = [];

  constructor(protected readonly env: DriverEnvironment) {}

  /** The `driver_info` fields this interface reads. */
  getProperties(): PropertyTable {
    return {};
  }

  /** Checks the node has what this interface needs; throws InvalidParameterValue or MissingParameterValue. */
  abstract validate(task: TaskContext): void | Promise<void>;

  /** Called once when the conductor stops: release sockets, sessions, timers. */
  close(): void | Promise<void> {}
}

/**
 * The methods each kind must implement, checked when a package is loaded: those the conductor
 * (or, for boot, the deploy interface) calls. Optional methods are not listed.
 */
export const REQUIRED_METHODS: Readonly<Record<InterfaceKind, readonly string[]>> = {
  bios: ['validate', 'getProperties'],
  boot: ['validate', 'getProperties', 'prepareInstance', 'cleanUpInstance'],
  console: ['validate', 'getProperties'],
  deploy: ['validate', 'getProperties', 'deploy', 'tearDown', 'takeOver'],
  firmware: ['validate', 'getProperties'],
  inspect: ['validate', 'getProperties', 'inspectHardware'],
  management: [
    'validate',
    'getProperties',
    'getSupportedBootDevices',
    'setBootDevice',
    'getBootDevice',
  ],
  network: ['validate', 'getProperties'],
  power: ['validate', 'getProperties', 'getPowerState', 'setPowerState', 'reboot'],
  raid: ['validate', 'getProperties'],
  rescue: ['validate', 'getProperties', 'rescue', 'unrescue'],
  storage: ['validate', 'getProperties'],
  vendor: ['validate', 'getProperties', 'validateCall'],
};
