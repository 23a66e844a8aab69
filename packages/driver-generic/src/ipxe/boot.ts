import {
  BootInterface,
  deployOptions,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { dhcpOptions, dnsmasqOptions } from '../dhcp/options';
import { dhcpProvider } from '../dhcp/providers';
import {
  httpBootSettings,
  instanceAppendParams,
  publishKernel,
  text,
  type KernelBootSpec,
} from '../http-boot/images';
import { httpUrlOf, removeNodeFiles } from '../http-boot/node-files';
import { requireFields } from '../missing';
import {
  agentRamdiskOf,
  pxeMacsOf,
  validateNetworkBoot,
  validateRescueBoot,
} from '../network-boot';
import { kernelArguments } from '../pxe/config-files';
import { pxeOptions } from '../pxe/options';
import {
  BOOT_SCRIPT_NAME,
  removeMacScripts,
  renderKernelScript,
  writeEntryScript,
  writeMacScripts,
} from './scripts';

/**
 * Ironic's `ipxe` boot: the machine's DHCP answer names `<http_url>/boot.ipxe`, which chains to a
 * script per MAC written on prepare: the deploy ramdisk (`driver_info` `deploy_kernel`,
 * `deploy_ramdisk`) or the instance (`instance_info` `kernel`, `ramdisk`,
 * `kernel_append_params`). Kernels and ramdisks are fetched once into the image cache under
 * `[deploy] http_root` and served from the node's directory there; clean-up removes both scripts
 * and files.
 */
export class IpxeBoot extends BootInterface {
  static override readonly optionGroups = [deployOptions, pxeOptions, dhcpOptions, dnsmasqOptions];

  override getProperties(): PropertyTable {
    return {
      deploy_kernel: {
        description: 'URL of the kernel the node boots to be deployed or cleaned.',
        required: true,
      },
      deploy_ramdisk: {
        description: 'URL of the ramdisk booted with deploy_kernel.',
        required: true,
      },
    };
  }

  validate(task: TaskContext): void {
    validateNetworkBoot(task);
    httpBootSettings(this.env, task);
  }

  override async prepareRamdisk(
    task: TaskContext,
    ramdiskParams: Record<string, string>,
  ): Promise<void> {
    this.validate(task);
    const ramdisk = agentRamdiskOf(task);
    if (ramdisk.mode === 'rescue') validateRescueBoot(task);
    await this.prepare(task, {
      label: ramdisk.mode,
      kernelUrl: text(ramdisk.kernel),
      ramdiskUrl: text(ramdisk.ramdisk),
      append: kernelArguments(this.env.config.get(pxeOptions).pxe_append_params, ramdiskParams),
      verifyRamdisk: false,
    });
    await task.driver.management.setBootDevice(task, 'pxe', false);
  }

  override async cleanUpRamdisk(task: TaskContext): Promise<void> {
    await this.cleanUp(task);
  }

  validateRescue(task: TaskContext): void {
    validateRescueBoot(task);
  }

  async prepareInstance(task: TaskContext): Promise<void> {
    const { instanceInfo, uuid } = task.node;
    requireFields(
      instanceInfo,
      ['kernel', 'ramdisk'],
      `Node ${uuid} cannot boot its instance from the network. Some parameters were missing in its instance_info`,
    );
    await this.prepare(task, {
      label: 'boot_ramdisk',
      kernelUrl: text(instanceInfo.kernel),
      ramdiskUrl: text(instanceInfo.ramdisk),
      append: kernelArguments(instanceAppendParams(instanceInfo), {}),
      verifyRamdisk: true,
    });
    // As Ironic's iPXE boot of a ramdisk instance: it boots from the network on every start.
    await task.driver.management.setBootDevice(task, 'pxe', true);
  }

  async cleanUpInstance(task: TaskContext): Promise<void> {
    await this.cleanUp(task);
  }

  private async prepare(task: TaskContext, spec: KernelBootSpec): Promise<void> {
    const { httpRoot, httpUrl } = httpBootSettings(this.env, task);
    const macs = pxeMacsOf(task);
    const published = await publishKernel(this.env, task, spec);
    await writeEntryScript(httpRoot);
    const paths = await writeMacScripts(
      httpRoot,
      macs,
      renderKernelScript({
        nodeUuid: task.node.uuid,
        label: spec.label,
        kernelUrl: published.kernelUrl,
        ramdiskUrl: published.ramdiskUrl,
        append: spec.append,
      }),
    );
    await dhcpProvider(this.env).update({
      nodeUuid: task.node.uuid,
      macs,
      bootScriptUrl: httpUrlOf(httpUrl, BOOT_SCRIPT_NAME),
    });
    task.logger.debug('iPXE boot prepared', { node: task.node.uuid, label: spec.label, paths });
  }

  private async cleanUp(task: TaskContext): Promise<void> {
    const { http_root: httpRoot } = this.env.config.get(deployOptions);
    const macs = pxeMacsOf(task);
    await removeMacScripts(httpRoot, macs);
    await removeNodeFiles(httpRoot, task.node.uuid);
    await dhcpProvider(this.env).clean(task.node.uuid, macs);
  }
}
