import { join } from 'node:path';
import {
  BootInterface,
  deployOptions,
  InvalidParameterValue,
  MissingParameterValue,
  POWER_OFF,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import {
  buildBootIso,
  httpBootSettings,
  httpUrlOf,
  instanceAppendParams,
  nodeDirectory,
  publishKernel,
  removeNodeFiles,
  type KernelBootSpec,
} from '@galvanic/driver-generic';
import { closeRedfishClients, connect, driverInfoOf } from './connect';
import { redfishOptions } from './options';
import { REDFISH_PROPERTIES, VIRTUAL_MEDIA_PROPERTIES } from './properties';
import { ejectMedia, insertCd } from './virtual-media';

function imageUrl(where: string, name: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^(https?|nfs|cifs):\/\/\S+$/i.test(value)) {
    throw new InvalidParameterValue(
      `${where}/${name} must be the URL of an ISO image the BMC can fetch (http, https, nfs or cifs), got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Ramdisk parameters as `key=value` words of a kernel command line. */
function ramdiskArguments(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}

/**
 * Ironic's `redfish-virtual-media` boot: the BMC attaches an ISO image as a virtual CD and the
 * System boots from it. The deploy ramdisk is `deploy_iso` (or the deprecated
 * `redfish_deploy_iso`) from driver_info, or an ISO built from `deploy_kernel` and
 * `deploy_ramdisk`, booted once; the instance is `instance_info.boot_iso`, or an ISO built from
 * `kernel`, `ramdisk` and `kernel_append_params`, booted persistently. Built ISOs are written to
 * the node's directory under `[deploy] http_root` and the BMC fetches them from
 * `external_http_url` (else `http_url`). Every clean-up ejects the media and removes them.
 */
export class RedfishVirtualMediaBoot extends BootInterface {
  static override readonly optionGroups = [redfishOptions, deployOptions];

  override async close(): Promise<void> {
    await closeRedfishClients();
  }

  override getProperties(): PropertyTable {
    return { ...REDFISH_PROPERTIES, ...VIRTUAL_MEDIA_PROPERTIES };
  }

  validate(task: TaskContext): void {
    driverInfoOf(this.env, task);
    this.deployIso(task);
    const { instanceInfo, uuid } = task.node;
    const bootIso = imageUrl('instance_info', 'boot_iso', instanceInfo.boot_iso);
    if (!bootIso && task.driver.interfaceNames.deploy === 'ramdisk') {
      if (!text(instanceInfo.kernel) || !text(instanceInfo.ramdisk)) {
        throw new MissingParameterValue(
          `Node ${uuid} cannot boot its instance from virtual media. Some parameters were missing in its instance_info. Missing are: ['boot_iso'] (or 'kernel' and 'ramdisk')`,
        );
      }
      httpBootSettings(this.env, task);
    }
  }

  override async prepareRamdisk(
    task: TaskContext,
    ramdiskParams: Record<string, string>,
  ): Promise<void> {
    const { driverInfo } = task.node;
    let iso = this.deployIso(task);
    if (!iso && text(driverInfo.deploy_kernel) && text(driverInfo.deploy_ramdisk)) {
      iso = await this.buildIso(task, {
        label: 'deploy',
        kernelUrl: text(driverInfo.deploy_kernel),
        ramdiskUrl: text(driverInfo.deploy_ramdisk),
        append: ramdiskArguments(ramdiskParams),
        verifyRamdisk: false,
      });
    } else if (iso && Object.keys(ramdiskParams).length > 0) {
      task.logger.debug('ramdisk parameters are not passed to a ready-made deploy_iso', {
        node: task.node.uuid,
        parameters: Object.keys(ramdiskParams),
      });
    }
    if (!iso) {
      throw new MissingParameterValue(
        `Error validating Redfish virtual media. Some parameters were missing in node's driver_info. Missing are: ['deploy_iso'] (or 'deploy_kernel' and 'deploy_ramdisk')`,
      );
    }
    await task.driver.power.setPowerState(task, POWER_OFF);
    await insertCd(task, connect(this.env, task), iso);
    await task.driver.management.setBootDevice(task, 'cdrom', false);
  }

  override async cleanUpRamdisk(task: TaskContext): Promise<void> {
    await this.cleanUp(task);
  }

  override async prepareInstance(task: TaskContext): Promise<void> {
    const connection = connect(this.env, task);
    await ejectMedia(task, connection);
    const { instanceInfo, uuid } = task.node;
    let iso = imageUrl('instance_info', 'boot_iso', instanceInfo.boot_iso);
    if (!iso && text(instanceInfo.kernel) && text(instanceInfo.ramdisk)) {
      iso = await this.buildIso(task, {
        label: 'boot_ramdisk',
        kernelUrl: text(instanceInfo.kernel),
        ramdiskUrl: text(instanceInfo.ramdisk),
        append: instanceAppendParams(instanceInfo),
        verifyRamdisk: true,
      });
    }
    if (!iso) {
      throw new MissingParameterValue(
        `Node ${uuid} cannot boot its instance from virtual media. Some parameters were missing in its instance_info. Missing are: ['boot_iso']`,
      );
    }
    await insertCd(task, connection, iso);
    await task.driver.management.setBootDevice(task, 'cdrom', true);
  }

  override async cleanUpInstance(task: TaskContext): Promise<void> {
    await this.cleanUp(task);
  }

  private async cleanUp(task: TaskContext): Promise<void> {
    await ejectMedia(task, connect(this.env, task));
    await removeNodeFiles(this.env.config.get(deployOptions).http_root, task.node.uuid);
  }

  /** Builds `<http_root>/<uuid>/<label>.iso` from a kernel and ramdisk; returns its URL for the BMC. */
  private async buildIso(task: TaskContext, spec: KernelBootSpec): Promise<string> {
    const { httpRoot, externalHttpUrl } = httpBootSettings(this.env, task);
    const published = await publishKernel(this.env, task, spec);
    const name = `${spec.label}.iso`;
    await buildBootIso({
      kernelPath: published.kernelPath,
      ramdiskPath: published.ramdiskPath,
      append: spec.append,
      outputPath: join(nodeDirectory(httpRoot, task.node.uuid), name),
    });
    return httpUrlOf(externalHttpUrl, task.node.uuid, name);
  }

  private deployIso(task: TaskContext): string | undefined {
    const info = task.node.driverInfo;
    const iso = imageUrl('driver_info', 'deploy_iso', info.deploy_iso);
    if (iso) return iso;
    const deprecated = imageUrl('driver_info', 'redfish_deploy_iso', info.redfish_deploy_iso);
    if (deprecated) {
      task.logger.warn('driver_info redfish_deploy_iso is deprecated, use deploy_iso instead', {
        node: task.node.uuid,
      });
    }
    return deprecated;
  }
}
