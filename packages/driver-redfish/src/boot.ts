import {
  BootInterface,
  InvalidParameterValue,
  MissingParameterValue,
  POWER_OFF,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
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

/**
 * Ironic's `redfish-virtual-media` boot: the BMC attaches an ISO image as a virtual CD and the
 * System boots from it. The deploy ramdisk is `deploy_iso` (or the deprecated
 * `redfish_deploy_iso`) from driver_info, booted once; the instance is `instance_info.boot_iso`,
 * booted persistently. Every clean-up ejects the media. Building an ISO from a kernel and
 * ramdisk, and passing ramdisk parameters to it, are not done: the images must be ISOs already.
 */
export class RedfishVirtualMediaBoot extends BootInterface {
  static override readonly optionGroups = [redfishOptions];

  override async close(): Promise<void> {
    await closeRedfishClients();
  }

  override getProperties(): PropertyTable {
    return { ...REDFISH_PROPERTIES, ...VIRTUAL_MEDIA_PROPERTIES };
  }

  validate(task: TaskContext): void {
    driverInfoOf(this.env, task);
    this.deployIso(task);
    const bootIso = imageUrl('instance_info', 'boot_iso', task.node.instanceInfo.boot_iso);
    if (!bootIso && task.driver.interfaceNames.deploy === 'ramdisk') {
      throw new MissingParameterValue(
        `Node ${task.node.uuid} cannot boot its instance from virtual media. Some parameters were missing in its instance_info. Missing are: ['boot_iso'] (building an ISO from kernel and ramdisk is not supported)`,
      );
    }
  }

  override async prepareRamdisk(
    task: TaskContext,
    ramdiskParams: Record<string, string>,
  ): Promise<void> {
    const iso = this.deployIso(task);
    if (!iso) {
      throw new MissingParameterValue(
        `Error validating Redfish virtual media. Some parameters were missing in node's driver_info. Missing are: ['deploy_iso']`,
      );
    }
    if (Object.keys(ramdiskParams).length > 0) {
      task.logger.debug('ramdisk parameters are not passed over virtual media (no ISO is built)', {
        node: task.node.uuid,
        parameters: Object.keys(ramdiskParams),
      });
    }
    await task.driver.power.setPowerState(task, POWER_OFF);
    await insertCd(task, connect(this.env, task), iso);
    await task.driver.management.setBootDevice(task, 'cdrom', false);
  }

  override async cleanUpRamdisk(task: TaskContext): Promise<void> {
    await ejectMedia(task, connect(this.env, task));
  }

  async prepareInstance(task: TaskContext): Promise<void> {
    const connection = connect(this.env, task);
    await ejectMedia(task, connection);
    const iso = imageUrl('instance_info', 'boot_iso', task.node.instanceInfo.boot_iso);
    if (!iso) {
      throw new MissingParameterValue(
        `Node ${task.node.uuid} cannot boot its instance from virtual media. Some parameters were missing in its instance_info. Missing are: ['boot_iso']`,
      );
    }
    await insertCd(task, connection, iso);
    await task.driver.management.setBootDevice(task, 'cdrom', true);
  }

  async cleanUpInstance(task: TaskContext): Promise<void> {
    await ejectMedia(task, connect(this.env, task));
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
