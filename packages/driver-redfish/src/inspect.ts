import {
  InspectInterface,
  type InspectionResult,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import type { SystemInventory } from 'redfish-ts';
import { redfishCall } from './call';
import { closeRedfishClients, connect, driverInfoOf } from './connect';
import { redfishOptions } from './options';
import { REDFISH_PROPERTIES } from './properties';

const GIB = 1024 ** 3;

/** InstructionSet (preferred) or ProcessorArchitecture → the cpu_arch Ironic records. */
const ARCHITECTURES: Readonly<Record<string, string>> = {
  'x86-64': 'x86_64',
  x86: 'x86_64',
  'IA-64': 'ia64',
  'ARM-A64': 'aarch64',
  'ARM-A32': 'arm',
  ARM: 'aarch64',
  MIPS64: 'mips64',
  MIPS32: 'mips',
  MIPS: 'mips',
  PowerISA: 'ppc64le',
  Power: 'ppc64le',
};

/** Ironic's properties from a System's inventory; fields the BMC does not report are left out. */
export function propertiesOf(inventory: SystemInventory): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const threads = inventory.processors.reduce((sum, cpu) => sum + (cpu.TotalThreads ?? 0), 0);
  const cpus =
    threads ||
    inventory.processorSummary?.LogicalProcessorCount ||
    inventory.processorSummary?.Count;
  if (cpus) properties.cpus = cpus;
  for (const cpu of inventory.processors) {
    const arch =
      ARCHITECTURES[cpu.InstructionSet ?? ''] ?? ARCHITECTURES[cpu.ProcessorArchitecture ?? ''];
    if (arch) {
      properties.cpu_arch = arch;
      break;
    }
  }
  const memoryGiB = inventory.memorySummary?.TotalSystemMemoryGiB;
  if (memoryGiB) properties.memory_mb = Math.round(memoryGiB * 1024);
  // As Ironic: the largest disk in GiB, less one for the partitioning to come.
  const largest = Math.max(0, ...inventory.disks.map((disk) => disk.sizeBytes ?? 0));
  const localGb = Math.floor(largest / GIB);
  if (localGb > 0) properties.local_gb = localGb - 1;
  return properties;
}

/**
 * Ironic's `redfish` inspect interface: out-of-band, from the System's processors, memory
 * summary, disks and Ethernet interfaces; a port per enabled NIC.
 */
export class RedfishInspect extends InspectInterface {
  static override readonly optionGroups = [redfishOptions];

  override async close(): Promise<void> {
    await closeRedfishClients();
  }

  override getProperties(): PropertyTable {
    return REDFISH_PROPERTIES;
  }

  validate(task: TaskContext): void {
    driverInfoOf(this.env, task);
  }

  async inspectHardware(task: TaskContext): Promise<InspectionResult> {
    const connection = connect(this.env, task);
    const inventory = await redfishCall(task, connection, 'reading the inventory', () =>
      connection.system.inventory(),
    );
    const properties = propertiesOf(inventory);
    const macs = inventory.networkInterfaces
      .filter((nic) => nic.macAddress && (nic.state === undefined || nic.state === 'Enabled'))
      .map((nic) => nic.macAddress as string);
    if (macs.length === 0) {
      task.logger.warn('No NIC information discovered', { node: task.node.uuid });
    }
    task.logger.info('inspection done', { node: task.node.uuid, properties, macs });
    return { properties, ports: macs.map((address) => ({ address, pxeEnabled: true })) };
  }
}
