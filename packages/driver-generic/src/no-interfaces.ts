import {
  BiosInterface,
  ConsoleInterface,
  FirmwareInterface,
  InspectInterface,
  RaidInterface,
  RescueInterface,
  UnsupportedDriverExtension,
  VendorInterface,
  type InterfaceKind,
  type TaskContext,
} from '@galvanic/driver-sdk';

/**
 * The `no-*` implementations: a kind the node's hardware type offers but the node does not use.
 * Validation and every action fail with Ironic's "Driver X does not support Y" error.
 */
function unsupported(task: TaskContext | undefined, kind: InterfaceKind): never {
  throw new UnsupportedDriverExtension(task?.node.driver ?? 'unknown', kind);
}

export class NoBios extends BiosInterface {
  validate(task: TaskContext): never {
    return unsupported(task, 'bios');
  }
}

export class NoFirmware extends FirmwareInterface {
  validate(task: TaskContext): never {
    return unsupported(task, 'firmware');
  }
}

export class NoRaid extends RaidInterface {
  validate(task: TaskContext): never {
    return unsupported(task, 'raid');
  }
  override validateRaidConfig(task: TaskContext): never {
    return unsupported(task, 'raid');
  }
}

export class NoInspect extends InspectInterface {
  validate(task: TaskContext): never {
    return unsupported(task, 'inspect');
  }
  async inspectHardware(task: TaskContext): Promise<never> {
    return unsupported(task, 'inspect');
  }
}

export class NoConsole extends ConsoleInterface {
  validate(task: TaskContext): never {
    return unsupported(task, 'console');
  }
  override async startConsole(task: TaskContext): Promise<never> {
    return unsupported(task, 'console');
  }
  override async stopConsole(task: TaskContext): Promise<never> {
    return unsupported(task, 'console');
  }
  override async getConsole(task: TaskContext): Promise<never> {
    return unsupported(task, 'console');
  }
}

export class NoRescue extends RescueInterface {
  validate(task: TaskContext): never {
    return unsupported(task, 'rescue');
  }
  async rescue(task: TaskContext): Promise<never> {
    return unsupported(task, 'rescue');
  }
  async unrescue(task: TaskContext): Promise<never> {
    return unsupported(task, 'rescue');
  }
}

export class NoVendor extends VendorInterface {
  validate(task: TaskContext): never {
    return unsupported(task, 'vendor');
  }
  override validateCall(task: TaskContext | undefined): never {
    return unsupported(task, 'vendor');
  }
}
