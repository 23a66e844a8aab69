import {
  InspectInterface,
  STEP_WAIT,
  type InspectionResult,
  type InventoryInspectInterface,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { agentOptions } from './agent/options';
import { bootRamdisk, shutDownRamdisk } from './agent/session';
import { collaborators } from './collaborators';

interface InventoryDisk {
  name?: string;
  size?: number;
}

const GIB = 1024 ** 3;

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * The properties Ironic's inspection reads from an agent inventory: CPU count and architecture,
 * memory, and the root disk's size in GiB less one (room for partitioning), the root disk being
 * the smallest one (Ironic's default choice without hints).
 */
export function propertiesFromInventory(
  inventory: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const cpu = (inventory.cpu ?? {}) as Record<string, unknown>;
  const count = numberOf(cpu.count);
  if (count !== undefined) properties.cpus = count;
  if (typeof cpu.architecture === 'string') properties.cpu_arch = cpu.architecture;
  const memory = numberOf(((inventory.memory ?? {}) as Record<string, unknown>).physical_mb);
  if (memory !== undefined) properties.memory_mb = memory;
  const disks = (Array.isArray(inventory.disks) ? inventory.disks : []) as InventoryDisk[];
  const sizes = disks.map((disk) => numberOf(disk.size)).filter((size) => size !== undefined);
  if (sizes.length > 0) {
    properties.local_gb = Math.max(0, Math.floor(Math.min(...sizes) / GIB) - 1);
  }
  return properties;
}

/** The NICs of an inventory; the one the ramdisk booted from is the PXE port. */
function portsFromInventory(
  inventory: Readonly<Record<string, unknown>>,
): InspectionResult['ports'] {
  const interfaces = (Array.isArray(inventory.interfaces) ? inventory.interfaces : []) as {
    mac_address?: unknown;
  }[];
  const boot = (inventory.boot ?? {}) as { pxe_interface?: unknown };
  const pxe = typeof boot.pxe_interface === 'string' ? boot.pxe_interface.toLowerCase() : null;
  return interfaces
    .filter((nic) => typeof nic.mac_address === 'string' && nic.mac_address !== '')
    .map((nic) => {
      const address = (nic.mac_address as string).toLowerCase();
      return { address, pxeEnabled: pxe === null || pxe === address };
    });
}

/**
 * `agent`: in-band inspection. The node boots the deploy ramdisk, whose agent posts its hardware
 * inventory to `/v1/continue_inspection`; the inventory is kept, and properties and ports are
 * filled from it.
 */
export class AgentInspect extends InspectInterface implements InventoryInspectInterface {
  static override readonly optionGroups = [agentOptions];

  async validate(task: TaskContext): Promise<void> {
    await collaborators(task).boot.validate(task);
  }

  async inspectHardware(task: TaskContext): Promise<typeof STEP_WAIT> {
    const apiUrl = this.env.config.get(agentOptions).api_url;
    await bootRamdisk(
      task,
      this.env.config,
      // The node's UUID goes with the callback (API 1.84), so a node without ports is found.
      apiUrl
        ? {
            'ipa-inspection-callback-url': `${apiUrl}/v1/continue_inspection?node_uuid=${task.node.uuid}`,
          }
        : {},
    );
    return STEP_WAIT;
  }

  async processInventory(
    task: TaskContext,
    inventory: Readonly<Record<string, unknown>>,
  ): Promise<InspectionResult> {
    await shutDownRamdisk(task);
    return { properties: propertiesFromInventory(inventory), ports: portsFromInventory(inventory) };
  }
}
