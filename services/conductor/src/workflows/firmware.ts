import type { FirmwareInterface } from '@galvanic/driver-sdk';
import type { NodeTask } from '../nodes/task';

/**
 * Ironic's `node_cache_firmware_components`, after verification and inspection: the firmware
 * interface reads the node's components and they are recorded under its lock. An interface that
 * cannot read them changes nothing, and a failure is logged: the work it follows goes on.
 */
export async function cacheFirmwareComponents(task: NodeTask): Promise<void> {
  try {
    const firmware = task.interfaceOf<FirmwareInterface>('firmware');
    await firmware.validate(task.context);
    const components = await firmware.cacheFirmwareComponents(task.context);
    if (components !== undefined) await task.saveFirmwareComponents(components);
  } catch (error) {
    task.context.signal.throwIfAborted();
    task.context.logger.warn('Caching of firmware components failed', {
      node: task.node.uuid,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
