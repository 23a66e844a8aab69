import type { BiosInterface } from '@galvanic/driver-sdk';
import type { NodeTask } from '../nodes/task';

/** The bios interface's steps after which Ironic caches the node's BIOS settings. */
const CACHING_STEPS: ReadonlySet<string> = new Set(['apply_configuration', 'factory_reset']);

/**
 * Ironic's `cache_bios_settings`: the bios interface reads the node's settings, and they replace
 * the node's stored ones under its lock. An interface that cannot read them changes nothing.
 */
export async function cacheBiosSettings(task: NodeTask): Promise<void> {
  const bios = task.interfaceOf<BiosInterface>('bios');
  const settings = await bios.cacheBiosSettings(task.context);
  if (settings === undefined) return;
  await task.saveBiosSettings(settings);
}

/** After a bios `apply_configuration` or `factory_reset` step: a failure fails the step. */
export async function cacheBiosSettingsAfter(
  task: NodeTask,
  step: { interface: string; step: string },
): Promise<void> {
  if (step.interface === 'bios' && CACHING_STEPS.has(step.step)) await cacheBiosSettings(task);
}

/** When a node is verified: a failure is logged, and the verification goes on, as in Ironic. */
export async function cacheBiosSettingsOnVerify(task: NodeTask): Promise<void> {
  try {
    await cacheBiosSettings(task);
  } catch (error) {
    task.context.signal.throwIfAborted();
    task.context.logger.warn('Caching of BIOS settings failed', {
      node: task.node.uuid,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
