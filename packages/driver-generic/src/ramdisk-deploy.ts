import { DeployInterface, POWER_OFF, deployStep, type TaskContext } from '@galvanic/driver-sdk';
import { requireFields } from './missing';

/**
 * `ramdisk`: writes no image. The instance is what the boot interface boots: a kernel and ramdisk
 * (`instance_info.kernel`, `instance_info.ramdisk`) from the network with `pxe`, an ISO with
 * `redfish-virtual-media`. The boot device is the boot interface's to set in `prepareInstance`,
 * as in Ironic; the deploy only reboots the node into it.
 */
export class RamdiskDeploy extends DeployInterface {
  async validate(task: TaskContext): Promise<void> {
    await task.driver.boot.validate(task);
    requireFields(
      task.node.instanceInfo,
      ['kernel', 'ramdisk'],
      `Node ${task.node.uuid} cannot be deployed with the ramdisk deploy. Some parameters were missing in its instance_info`,
    );
  }

  @deployStep({ priority: 100 })
  async deploy(task: TaskContext, _args: Record<string, unknown>): Promise<void> {
    const { boot, power } = task.driver;
    await boot.prepareInstance(task);
    await power.reboot(task);
  }

  async tearDown(task: TaskContext): Promise<void> {
    const { boot, power } = task.driver;
    await power.setPowerState(task, POWER_OFF);
    await boot.cleanUpInstance(task);
  }

  /** An active node (taken over, or redeployed) keeps booting its instance; others start off. */
  override async prepare(task: TaskContext): Promise<void> {
    const { boot, power } = task.driver;
    if (task.node.provisionState === 'active') {
      await boot.prepareInstance(task);
    } else {
      await power.setPowerState(task, POWER_OFF);
    }
  }

  override async cleanUp(task: TaskContext): Promise<void> {
    await task.driver.boot.cleanUpInstance(task);
  }

  /** The PXE configs live on the conductor that wrote them: a new conductor writes its own. */
  async takeOver(task: TaskContext): Promise<void> {
    await task.driver.boot.prepareInstance(task);
  }
}
