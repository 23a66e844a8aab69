import { UnsupportedDriverExtension } from '../errors.js';
import type {
  BootDevice,
  BootDeviceState,
  BootMode,
  IndicatorComponent,
  IndicatorState,
  PowerState,
  SupportedIndicators,
} from '../node.js';
import { POWER_OFF, POWER_ON, REBOOT } from '../node.js';
import type { TaskContext } from '../task.js';
import { HardwareInterface } from './base.js';
import { validateRaidConfiguration } from '../raid/schema.js';

/** Ironic's virtual media device types (boot_devices.VMEDIA_DEVICES). */
export const VIRTUAL_MEDIA_DEVICE_TYPES = ['disk', 'cdrom', 'floppy'] as const;
export type VirtualMediaDeviceType = (typeof VIRTUAL_MEDIA_DEVICE_TYPES)[number];

/** One virtual media device as Ironic's GET /v1/nodes/{node}/vmedia shows it. */
export interface VirtualMediaDevice {
  /** The BMC's media types, e.g. `["CD", "DVD"]`. */
  media_types: string[];
  inserted: boolean;
  image: string | null;
}

export interface PowerOptions {
  /** Seconds to wait for the BMC to reach the state; `[conductor] power_state_change_timeout` when absent. */
  timeout?: number;
}

/** Turns the node on and off. Actions resolve once the BMC reached the state, or throw. */
export abstract class PowerInterface extends HardwareInterface {
  static override readonly interfaceKind = 'power' as const;
  /** The node's power state; null when the interface cannot tell (Ironic's fake power before any change). */
  abstract getPowerState(task: TaskContext): Promise<PowerState | null>;
  abstract setPowerState(
    task: TaskContext,
    state: PowerState,
    options?: PowerOptions,
  ): Promise<void>;
  abstract reboot(task: TaskContext, options?: PowerOptions): Promise<void>;
  getSupportedPowerStates(_task: TaskContext): PowerState[] {
    return [POWER_ON, POWER_OFF, REBOOT];
  }
}

/** Boot device and other out-of-band management. */
export abstract class ManagementInterface extends HardwareInterface {
  static override readonly interfaceKind = 'management' as const;
  abstract getSupportedBootDevices(task: TaskContext): BootDevice[] | Promise<BootDevice[]>;
  abstract setBootDevice(task: TaskContext, device: BootDevice, persistent: boolean): Promise<void>;
  abstract getBootDevice(task: TaskContext): Promise<BootDeviceState>;

  /**
   * The optional calls, as Ironic's ManagementInterface has them: an implementation that cannot
   * leaves them as they are, and they refuse with UnsupportedDriverExtension (400).
   */
  getSupportedBootModes(task: TaskContext): BootMode[] | Promise<BootMode[]> {
    throw new UnsupportedDriverExtension(task.driver.name, 'get_supported_boot_modes');
  }

  /** The boot mode the node boots in next, or null when the BMC does not say. */
  getBootMode(task: TaskContext): Promise<BootMode | null> {
    return Promise.reject(new UnsupportedDriverExtension(task.driver.name, 'get_boot_mode'));
  }

  setBootMode(task: TaskContext, _mode: BootMode): Promise<void> {
    return Promise.reject(new UnsupportedDriverExtension(task.driver.name, 'set_boot_mode'));
  }

  /** Injects a non-maskable interrupt into the node. */
  injectNmi(task: TaskContext): Promise<void> {
    return Promise.reject(new UnsupportedDriverExtension(task.driver.name, 'inject_nmi'));
  }

  /** The node's virtual media devices, as Ironic's get_virtual_media lists them. */
  getVirtualMedia(task: TaskContext): Promise<VirtualMediaDevice[]> {
    return Promise.reject(new UnsupportedDriverExtension(task.driver.name, 'get_virtual_media'));
  }

  /** Inserts `imageUrl` (which the BMC fetches) into a device of `deviceType`. */
  attachVirtualMedia(
    task: TaskContext,
    _deviceType: VirtualMediaDeviceType,
    _imageUrl: string,
  ): Promise<void> {
    return Promise.reject(new UnsupportedDriverExtension(task.driver.name, 'attach_virtual_media'));
  }

  /** Ejects the media of the devices of `deviceTypes`, or of every device when undefined. */
  detachVirtualMedia(
    task: TaskContext,
    _deviceTypes?: readonly VirtualMediaDeviceType[],
  ): Promise<void> {
    return Promise.reject(new UnsupportedDriverExtension(task.driver.name, 'detach_virtual_media'));
  }

  /** The indicators (LEDs) of the node's components, by component and indicator name. */
  getSupportedIndicators(task: TaskContext): Promise<SupportedIndicators> {
    return Promise.reject(
      new UnsupportedDriverExtension(task.driver.name, 'get_supported_indicators'),
    );
  }

  getIndicatorState(
    task: TaskContext,
    _component: IndicatorComponent,
    _indicator: string,
  ): Promise<IndicatorState> {
    return Promise.reject(new UnsupportedDriverExtension(task.driver.name, 'get_indicator_state'));
  }

  setIndicatorState(
    task: TaskContext,
    _component: IndicatorComponent,
    _indicator: string,
    _state: IndicatorState,
  ): Promise<void> {
    return Promise.reject(new UnsupportedDriverExtension(task.driver.name, 'set_indicator_state'));
  }
}

/**
 * Prepares what the node boots. The deploy interface calls `prepareInstance` and
 * `cleanUpInstance`; the ramdisk calls are optional: an implementation that boots a deploy
 * ramdisk provides them for the deploy interfaces that use one.
 */
export abstract class BootInterface extends HardwareInterface {
  static override readonly interfaceKind = 'boot' as const;
  prepareRamdisk?(task: TaskContext, ramdiskParams: Record<string, string>): Promise<void>;
  cleanUpRamdisk?(task: TaskContext): Promise<void>;
  abstract prepareInstance(task: TaskContext): Promise<void>;
  abstract cleanUpInstance(task: TaskContext): Promise<void>;
}

/**
 * Puts an instance on the node. `deploy` is the main deploy step (declare it with
 * `@deployStep({ priority: 100 })`); `tearDown` undoes it on undeploy; `takeOver` runs when
 * a conductor adopts an active node. `prepare` and `cleanUp` (Ironic's hooks around a deploy)
 * are optional.
 */
export abstract class DeployInterface extends HardwareInterface {
  static override readonly interfaceKind = 'deploy' as const;
  abstract deploy(task: TaskContext, args: Record<string, unknown>): Promise<unknown>;
  abstract tearDown(task: TaskContext): Promise<void>;
  abstract takeOver(task: TaskContext): Promise<void>;
  prepare?(task: TaskContext): Promise<void>;
  cleanUp?(task: TaskContext): Promise<void>;
}

/** What out-of-band inspection found; the conductor records it on the node. */
export interface InspectionResult {
  /** Merged into the node's properties (cpus, cpu_arch, memory_mb, local_gb, ...). */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** NICs found: a port is created for each MAC address the node has no port for. */
  readonly ports?: readonly { readonly address: string; readonly pxeEnabled?: boolean }[];
}

/**
 * Discovers the node's hardware properties. An implementation that finds them itself returns
 * them, and the conductor saves them and creates the ports; one that only starts something
 * (in-band inspection) returns nothing.
 */
export abstract class InspectInterface extends HardwareInterface {
  static override readonly interfaceKind = 'inspect' as const;
  abstract inspectHardware(task: TaskContext): Promise<InspectionResult | typeof STEP_WAIT | void>;
}

/** Driver- and node-specific methods, declared with `@passthru` and `@driverPassthru`. */
export abstract class VendorInterface extends HardwareInterface {
  static override readonly interfaceKind = 'vendor' as const;
  /** Checks a passthru call's body before it runs; throw MissingParameterValue for a missing argument. */
  validateCall(
    _task: TaskContext | undefined,
    _method: string,
    _body: unknown,
  ): void | Promise<void> {}
}

/** The node's serial console; no API calls it yet, so its methods are optional. */
export abstract class ConsoleInterface extends HardwareInterface {
  static override readonly interfaceKind = 'console' as const;
  startConsole?(task: TaskContext): Promise<void>;
  stopConsole?(task: TaskContext): Promise<void>;
  getConsole?(task: TaskContext): Promise<{ type: string; url: string } | null>;
}

export abstract class RescueInterface extends HardwareInterface {
  static override readonly interfaceKind = 'rescue' as const;
  abstract rescue(task: TaskContext): Promise<void>;
  abstract unrescue(task: TaskContext): Promise<void>;
}

/** RAID configuration; its work is done in clean and deploy steps. */
export abstract class RaidInterface extends HardwareInterface {
  static override readonly interfaceKind = 'raid' as const;

  /**
   * Checks a target RAID configuration before the conductor saves it (Ironic's
   * `validate_raid_config`): Ironic's RAID schema by default; an implementation with its own
   * parameters overrides it.
   */
  validateRaidConfig(_task: TaskContext, config: Record<string, unknown>): void {
    validateRaidConfiguration(config);
  }
}

/**
 * One BIOS setting as a bios interface reads it, in Ironic's shape: `name` and `value`, and the
 * BIOS registry's description of the attribute where the BMC gives one (Ironic's API 1.74).
 */
export interface BiosSetting {
  readonly name: string;
  readonly value: string | number | boolean | null;
  readonly attribute_type?: string | null;
  readonly allowable_values?: readonly string[] | null;
  readonly lower_bound?: number | null;
  readonly max_length?: number | null;
  readonly min_length?: number | null;
  readonly read_only?: boolean | null;
  readonly reset_required?: boolean | null;
  readonly unique?: boolean | null;
  readonly upper_bound?: number | null;
}

/** BIOS settings; its work is done in clean and deploy steps. */
export abstract class BiosInterface extends HardwareInterface {
  static override readonly interfaceKind = 'bios' as const;

  /**
   * Ironic's `cache_bios_settings`: the node's current BIOS settings, which the conductor keeps
   * as the node's BIOS settings (replacing those it had). `undefined`, the default, means the
   * interface cannot read them and the stored ones stay as they are.
   */
  async cacheBiosSettings(_task: TaskContext): Promise<BiosSetting[] | undefined> {
    return undefined;
  }
}

/**
 * One firmware component as a firmware interface reads it, in Ironic's shape (API 1.86), with
 * the hardware identity of 1.114 where the BMC gives it.
 */
export interface FirmwareComponent {
  readonly component: string;
  readonly current_version: string;
  readonly vendor?: string | null;
  readonly model?: string | null;
  readonly serial_number?: string | null;
}

/** Firmware updates; its work is done in clean and deploy steps. */
export abstract class FirmwareInterface extends HardwareInterface {
  static override readonly interfaceKind = 'firmware' as const;

  /**
   * Ironic's `cache_firmware_components`: the node's firmware components now, which the
   * conductor keeps (the first version seen of each stays its `initial_version`). `undefined`,
   * the default, means the interface cannot read them and the stored ones stay as they are.
   */
  async cacheFirmwareComponents(_task: TaskContext): Promise<FirmwareComponent[] | undefined> {
    return undefined;
  }
}

/** Attaches remote volumes. */
export abstract class StorageInterface extends HardwareInterface {
  static override readonly interfaceKind = 'storage' as const;
  shouldWriteImage(_task: TaskContext): boolean {
    return true;
  }
}

/** Wires the node's ports into provisioning, cleaning and tenant networks. */
export abstract class NetworkInterface extends HardwareInterface {
  static override readonly interfaceKind = 'network' as const;
}

/** The base class of each interface kind. */
export interface InterfaceByKind {
  bios: BiosInterface;
  boot: BootInterface;
  console: ConsoleInterface;
  deploy: DeployInterface;
  firmware: FirmwareInterface;
  inspect: InspectInterface;
  management: ManagementInterface;
  network: NetworkInterface;
  power: PowerInterface;
  raid: RaidInterface;
  rescue: RescueInterface;
  storage: StorageInterface;
  vendor: VendorInterface;
}

/**
 * What a deploy or clean step (or an inspect interface's `inspectHardware`) returns when it
 * started work that the node's agent finishes: the node goes to its wait state (`wait call-back`,
 * `clean wait`, `inspect wait`), its lock is released, and the conductor goes on when the agent
 * calls back. Ironic's steps return `states.DEPLOYWAIT` / `CLEANWAIT` for the same.
 */
export const STEP_WAIT = 'wait' as const;

/** Whether the step an agent heartbeat arrived for is still under way or has finished. */
export type HeartbeatOutcome = 'waiting' | 'step done';

/**
 * An interface whose steps wait for the node's agent. The conductor calls `continueOnHeartbeat`
 * under the node's lock on each heartbeat while the node waits on one of its steps: it sends the
 * agent what it must do next, or reads how the last command went ('step done' when it
 * succeeded; an error when it failed, which fails the node with the agent's message).
 */
export interface AgentStepsInterface {
  continueOnHeartbeat(task: TaskContext): Promise<HeartbeatOutcome>;
  /** After the last clean step: the cleaning ramdisk is shut down and forgotten. */
  tearDownCleaning(task: TaskContext): Promise<void>;
}

/** Whether an interface implementation waits for an agent in its steps. */
export function isAgentStepsInterface(value: unknown): value is AgentStepsInterface {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AgentStepsInterface>).continueOnHeartbeat === 'function' &&
    typeof (value as Partial<AgentStepsInterface>).tearDownCleaning === 'function'
  );
}

/**
 * An inspect interface whose inspection the node's agent finishes by posting its inventory
 * (`/v1/continue_inspection`): it reads the properties and NICs from the inventory and shuts the
 * inspection ramdisk down.
 */
export interface InventoryInspectInterface {
  processInventory(
    task: TaskContext,
    inventory: Readonly<Record<string, unknown>>,
  ): Promise<InspectionResult>;
}

export function isInventoryInspectInterface(value: unknown): value is InventoryInspectInterface {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<InventoryInspectInterface>).processInventory === 'function'
  );
}
