import { InvalidParameterValue, type TaskContext } from '@galvanic/driver-sdk';
import { requireFields } from './missing';

/** The MACs of the node's PXE-enabled ports: where network boot files are written for. */
export function pxeMacsOf(task: TaskContext): string[] {
  return task.node.ports.filter((port) => port.pxeEnabled).map((port) => port.address);
}

/**
 * What every network boot needs, in Ironic's words: a port, a PXE-enabled one, and the deploy
 * kernel and ramdisk in driver_info.
 */
export function validateNetworkBoot(task: TaskContext): void {
  const { node } = task;
  if (node.ports.length === 0) {
    throw new InvalidParameterValue(`Node ${node.uuid} does not have any port associated with it`);
  }
  if (pxeMacsOf(task).length === 0) {
    throw new InvalidParameterValue(`Node ${node.uuid} does not have any PXE-enabled port`);
  }
  requireFields(
    node.driverInfo,
    ['deploy_kernel', 'deploy_ramdisk'],
    `Node ${node.uuid} failed to validate deploy image info. Some parameters were missing`,
  );
}

/** States in which a ramdisk boot is the rescue ramdisk's (Ironic's `mode='rescue'`). */
const RESCUE_STATES: ReadonlySet<string> = new Set(['rescuing', 'rescue wait']);

/**
 * The kernel and ramdisk the node boots as its agent's ramdisk: `driver_info` `rescue_kernel`
 * and `rescue_ramdisk` while it is being rescued, else `deploy_kernel` and `deploy_ramdisk`. As in
 * Ironic, rescue does not fall back to the deploy ramdisk.
 */
export function agentRamdiskOf(task: TaskContext): {
  mode: 'deploy' | 'rescue';
  kernel: unknown;
  ramdisk: unknown;
} {
  const { driverInfo, provisionState } = task.node;
  const mode = RESCUE_STATES.has(provisionState) ? 'rescue' : 'deploy';
  return { mode, kernel: driverInfo[`${mode}_kernel`], ramdisk: driverInfo[`${mode}_ramdisk`] };
}

/** Ironic's validate_rescue of network boots: the rescue kernel and ramdisk are in driver_info. */
export function validateRescueBoot(task: TaskContext): void {
  requireFields(
    task.node.driverInfo,
    ['rescue_kernel', 'rescue_ramdisk'],
    `Node ${task.node.uuid} cannot boot its rescue ramdisk. Some parameters were missing in its driver_info`,
  );
}
