import type { InspectionRuleStore, NodeFields } from '@galvanic/db';
import type { InspectionResult } from '@galvanic/driver-sdk';
import { runInspectionRules, type RuleLogLevel } from '@galvanic/inspection-rules';
import type { NodeTask } from '../nodes/task';

/** The phase rules run in after inspection (Ironic's only phase). */
const MAIN_PHASE = 'main';

/** Node fields rules may change (set-attribute and friends); the others are read-only to them. */
const WRITABLE_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'description',
  'driver_info',
  'driver_internal_info',
  'instance_info',
  'properties',
  'extra',
  'traits',
  'resource_class',
  'owner',
  'lessee',
  'automated_clean',
  'retired',
  'retired_reason',
  'boot_mode',
  'secure_boot',
]);

/** Node fields rules do not see: Galvanic's own bookkeeping. */
const HIDDEN_FIELDS: ReadonlySet<string> = new Set(['id', 'chassis_id', 'allocation_id']);

const LOG_METHODS: Readonly<Record<RuleLogLevel, 'debug' | 'info' | 'warn' | 'error'>> = {
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'error',
};

/**
 * The inventory rules read (`{inventory[...]}`) from what an out-of-band inspect interface
 * returns: Ironic's inventory keys for the facts the result carries (CPU count and architecture,
 * memory, the NICs' MAC addresses, the root disk size).
 */
export function inventoryFromInspection(found: InspectionResult | void): Record<string, unknown> {
  const inventory: Record<string, unknown> = {};
  const properties = found?.properties ?? {};
  const cpu: Record<string, unknown> = {};
  if (properties.cpus !== undefined) cpu.count = properties.cpus;
  if (properties.cpu_arch !== undefined) cpu.architecture = properties.cpu_arch;
  if (Object.keys(cpu).length > 0) inventory.cpu = cpu;
  if (properties.memory_mb !== undefined) inventory.memory = { physical_mb: properties.memory_mb };
  if (typeof properties.local_gb === 'number')
    inventory.disks = [{ size: properties.local_gb * 1024 ** 3 }];
  if (found?.ports) {
    inventory.interfaces = found.ports.map((port) => ({ mac_address: port.address.toLowerCase() }));
  }
  return inventory;
}

/** The node as rules see it: its fields as plain JSON (so actions may change them in place). */
function nodeView(task: NodeTask): Record<string, unknown> {
  const fields = Object.entries(task.node).filter(([name]) => !HIDDEN_FIELDS.has(name));
  return JSON.parse(JSON.stringify(Object.fromEntries(fields))) as Record<string, unknown>;
}

/**
 * Applies the inspection rules of the `main` phase to a node being inspected, as Ironic does once
 * inspection data is in: rules run by priority against `inventory`, `pluginData` and the node;
 * what their actions change on the node is saved as they go. Throws (HardwareInspectionFailure
 * for a `fail` action) when a rule fails, which fails the inspection. Every inspection path calls
 * this: the out-of-band result (inspectHardware) and in-band agent data alike.
 */
export async function applyInspectionRules(
  task: NodeTask,
  rules: InspectionRuleStore,
  inventory: Record<string, unknown>,
  pluginData: Record<string, unknown> = {},
): Promise<void> {
  const stored = await rules.listForPhase(MAIN_PHASE);
  if (stored.length === 0) return;
  const logger = task.context.logger;
  const node = nodeView(task);
  await runInspectionRules(
    stored,
    {
      node,
      inventory,
      pluginData,
      saveNode: async (fields) => {
        const changes: Record<string, unknown> = {};
        for (const field of fields) {
          if (!WRITABLE_FIELDS.has(field))
            throw new Error(`the node's ${field} cannot be changed by inspection rules`);
          changes[field] = node[field];
        }
        await task.save(changes as NodeFields);
      },
      log: (level, message) => logger[LOG_METHODS[level]](message, { source: 'inspection rule' }),
    },
    task.node.uuid,
  );
}
