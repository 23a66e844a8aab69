import { BootInterface, type PropertyTable, type TaskContext } from '@galvanic/driver-sdk';
import { requireFields } from '../missing';
import {
  agentRamdiskOf,
  pxeMacsOf,
  validateNetworkBoot,
  validateRescueBoot,
} from '../network-boot';
import {
  kernelArguments,
  removePxeConfigs,
  writePxeConfigs,
  type PxeBootSpec,
} from './config-files';
import { pxeOptions } from './options';

const INSTANCE_IMAGE_FIELDS = ['kernel', 'ramdisk'] as const;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Network boot with PXELINUX: writes a config per PXE-enabled port under `[pxe] tftp_root`, for
 * the deploy ramdisk (`driver_info`) or for the instance (`instance_info`, ramdisk deploy).
 */
export class PxeBoot extends BootInterface {
  static override readonly optionGroups = [pxeOptions];

  override getProperties(): PropertyTable {
    return {
      deploy_kernel: {
        description: 'URL or TFTP path of the kernel the node boots to be deployed or cleaned.',
        required: true,
      },
      deploy_ramdisk: {
        description: 'URL or TFTP path of the ramdisk booted with deploy_kernel.',
        required: true,
      },
    };
  }

  validate(task: TaskContext): void {
    validateNetworkBoot(task);
  }

  override async prepareRamdisk(
    task: TaskContext,
    ramdiskParams: Record<string, string>,
  ): Promise<void> {
    this.validate(task);
    const ramdisk = agentRamdiskOf(task);
    if (ramdisk.mode === 'rescue') validateRescueBoot(task);
    await this.write(task, {
      label: ramdisk.mode,
      kernel: text(ramdisk.kernel),
      ramdisk: text(ramdisk.ramdisk),
      append: kernelArguments(this.options.pxe_append_params, ramdiskParams),
    });
  }

  override async cleanUpRamdisk(task: TaskContext): Promise<void> {
    await removePxeConfigs(this.options.tftp_root, pxeMacsOf(task));
  }

  validateRescue(task: TaskContext): void {
    validateRescueBoot(task);
  }

  async prepareInstance(task: TaskContext): Promise<void> {
    const { instanceInfo, uuid } = task.node;
    requireFields(
      instanceInfo,
      INSTANCE_IMAGE_FIELDS,
      `Node ${uuid} cannot boot its instance from the network. Some parameters were missing in its instance_info`,
    );
    const append = [this.options.pxe_append_params, text(instanceInfo.ramdisk_kernel_arguments)];
    await this.write(task, {
      label: 'boot_ramdisk',
      kernel: text(instanceInfo.kernel),
      ramdisk: text(instanceInfo.ramdisk),
      append: kernelArguments(append.join(' '), {}),
    });
    // As Ironic's PXE boot: the instance boots from the network on every start.
    await task.driver.management.setBootDevice(task, 'pxe', true);
  }

  async cleanUpInstance(task: TaskContext): Promise<void> {
    await removePxeConfigs(this.options.tftp_root, pxeMacsOf(task));
  }

  private get options() {
    return this.env.config.get(pxeOptions);
  }

  private async write(task: TaskContext, spec: PxeBootSpec): Promise<void> {
    const paths = await writePxeConfigs(this.options.tftp_root, pxeMacsOf(task), spec);
    task.logger.debug('PXE configs written', { label: spec.label, paths });
  }
}
