import type { VifCarrier, VifStore } from '@galvanic/db';
import { NoFreePhysicalPorts, VifAlreadyAttached, VifNotAttached } from '@galvanic/errors';
import type { NodeTask } from '../nodes/task';

export interface VifInfo {
  id: string;
  port_uuid?: string | undefined;
  portgroup_uuid?: string | undefined;
}

const OBJECT_TYPE = { port: 'Port', portgroup: 'Portgroup' } as const;

/**
 * The ports and port groups a VIF may go to, as Ironic's `_get_free_portgroups_and_ports`
 * chooses them (with no physical networks to match: Galvanic has no Neutron to ask): a VIF already
 * on one of them is a 409; a port group with a VIF on one of its ports gives way to its free
 * ports; empty port groups are skipped.
 */
function freeCarriers(carriers: readonly VifCarrier[], info: VifInfo): VifCarrier[] {
  const free: VifCarrier[] = [];
  const freePortsByGroup = new Map<number, VifCarrier[]>();
  const unusableGroups = new Set<number | null>();
  const attached = (carrier: VifCarrier): boolean => {
    if (carrier.vif === info.id)
      throw new VifAlreadyAttached(info.id, OBJECT_TYPE[carrier.kind], carrier.uuid);
    return carrier.vif !== null;
  };
  for (const port of carriers.filter((c) => c.kind === 'port')) {
    if (info.port_uuid !== undefined && info.port_uuid !== port.uuid) continue;
    if (attached(port)) {
      unusableGroups.add(port.portgroup_id);
      continue;
    }
    if (port.portgroup_id === null && info.portgroup_uuid === undefined) free.push(port);
    else if (port.portgroup_id !== null) {
      const ports = freePortsByGroup.get(port.portgroup_id) ?? [];
      ports.push(port);
      freePortsByGroup.set(port.portgroup_id, ports);
    }
  }
  if (info.port_uuid !== undefined) return free;
  for (const group of carriers.filter((c) => c.kind === 'portgroup')) {
    if (info.portgroup_uuid !== undefined && info.portgroup_uuid !== group.uuid) continue;
    if (attached(group)) continue;
    const ports = freePortsByGroup.get(group.id) ?? [];
    if (unusableGroups.has(group.id)) {
      if (info.portgroup_uuid === undefined) free.push(...ports);
    } else if (ports.length > 0) free.push(group);
  }
  return free;
}

/** Ironic's preference: port groups before ports, PXE-enabled ports before the others. */
function preference(carrier: VifCarrier): number {
  return (carrier.kind === 'portgroup' ? 2 : 0) + (carrier.pxe_enabled ? 1 : 0);
}

function writeVif(
  task: NodeTask,
  vifs: VifStore,
  carrier: VifCarrier,
  vif: string | null,
): Promise<void> {
  return task.writeUnderLock((fence) => vifs.setVif(task.node.id, carrier, vif, fence));
}

/** `vif_list`: the VIFs on the node's ports, then on its port groups. */
export async function listVifs(task: NodeTask, vifs: VifStore): Promise<{ id: string }[]> {
  const carriers = await vifs.carriers(task.node.id);
  const ordered = [
    ...carriers.filter((c) => c.kind === 'port'),
    ...carriers.filter((c) => c.kind === 'portgroup'),
  ];
  return ordered.flatMap((c) => (c.vif === null ? [] : [{ id: c.vif }]));
}

/** `vif_attach`: the VIF goes to the most preferred free port or port group. */
export async function attachVif(task: NodeTask, vifs: VifStore, info: VifInfo): Promise<void> {
  const free = freeCarriers(await vifs.carriers(task.node.id), info);
  if (free.length === 0) throw new NoFreePhysicalPorts(info.id);
  // A stable sort keeps the oldest first among equals.
  const [chosen] = [...free].sort((a, b) => preference(b) - preference(a));
  await writeVif(task, vifs, chosen!, info.id);
}

/** `vif_detach`: the VIF is taken off the port or port group it is on. */
export async function detachVif(task: NodeTask, vifs: VifStore, vifId: string): Promise<void> {
  const carrier = (await vifs.carriers(task.node.id)).find((c) => c.vif === vifId);
  if (!carrier) throw new VifNotAttached(vifId, task.node.uuid);
  await writeVif(task, vifs, carrier, null);
}
