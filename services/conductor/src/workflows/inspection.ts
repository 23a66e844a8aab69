import { randomUUID } from 'node:crypto';
import type { InspectionRuleStore, PortStore } from '@galvanic/db';
import { STEP_WAIT, type InspectInterface, type InspectionResult } from '@galvanic/driver-sdk';
import { MACAlreadyExists } from '@galvanic/errors';
import type { NodeTask } from '../nodes/task';
import { cacheFirmwareComponents } from './firmware';
import { applyInspectionRules, inventoryFromInspection } from './inspection-rules';

/**
 * `inspecting`: the inspect interface inspects the hardware, what it found is recorded, the
 * inspection rules are applied to it, and the times are recorded around it.
 */
export async function inspectHardware(
  task: NodeTask,
  ports: PortStore,
  rules: InspectionRuleStore,
): Promise<void> {
  await task.save({ inspection_started_at: new Date(), inspection_finished_at: null });
  const found = await task.interfaceOf<InspectInterface>('inspect').inspectHardware(task.context);
  if (found === STEP_WAIT) {
    await task.processEvent('wait');
    return;
  }
  await finishInspection(task, ports, rules, found, {
    inventory: inventoryFromInspection(found),
    pluginData: {},
  });
}

/** What inspection rules read: the inventory and the plugin data. */
export interface InspectionData {
  inventory: Record<string, unknown>;
  pluginData: Record<string, unknown>;
}

/**
 * Records what inspection found (if anything), applies the inspection rules to `data`, and ends
 * inspection: the node goes back to `manageable`.
 */
export async function finishInspection(
  task: NodeTask,
  ports: PortStore,
  rules: InspectionRuleStore,
  found: InspectionResult | void,
  data: InspectionData,
): Promise<void> {
  if (found) await recordInspection(task, ports, found);
  await applyInspectionRules(task, rules, data.inventory, data.pluginData);
  await task.save({ inspection_finished_at: new Date() });
  await cacheFirmwareComponents(task);
  await task.processEvent('done');
}

/**
 * Records what an inspect interface found, as Ironic's inspection utilities do: the properties
 * are merged into the node's, and a port is created for each MAC address the node has no port
 * for. A MAC that belongs to another node is logged and skipped.
 */
async function recordInspection(
  task: NodeTask,
  ports: PortStore,
  found: InspectionResult,
): Promise<void> {
  if (found.properties && Object.keys(found.properties).length > 0) {
    await task.save({ properties: { ...task.node.properties, ...found.properties } });
  }
  const known = new Set(task.context.node.ports.map((port) => port.address.toLowerCase()));
  for (const port of found.ports ?? []) {
    const address = port.address.toLowerCase();
    if (known.has(address)) continue;
    known.add(address);
    try {
      await ports.create(task.node.uuid, {
        uuid: randomUUID(),
        address,
        pxe_enabled: port.pxeEnabled ?? true,
      });
      task.context.logger.info('port created by inspection', { address });
    } catch (error) {
      if (!(error instanceof MACAlreadyExists)) throw error;
      task.context.logger.warn('inspection found a MAC address that another port has', { address });
    }
  }
}
