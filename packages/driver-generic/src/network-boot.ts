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
