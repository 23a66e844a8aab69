import {
  InvalidParameterValue,
  RaidInterface,
  UnsupportedDriverExtension,
  cleanStep,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { closeRedfishClients, driverInfoOf } from './connect';
import { redfishOptions } from './options';
import { REDFISH_PROPERTIES } from './properties';

const CREATE_CONFIGURATION_ARGSINFO = {
  create_root_volume: {
    description: 'This specifies whether to create the root volume. Defaults to `True`.',
    required: false,
  },
  create_nonroot_volumes: {
    description: 'This specifies whether to create the non-root volumes. Defaults to `True`.',
    required: false,
  },
  delete_existing: {
    description:
      'Setting this to `True` indicates to delete existing RAID configuration prior to creating the new configuration. Default value is `False`.',
    required: false,
  },
};

/**
 * Ironic's `redfish` RAID interface, so nodes enrolled with it (as Metal3 does) are accepted and
 * their target RAID configuration is checked as Ironic checks it. Building and deleting volumes
 * over Redfish is not implemented: its clean steps are declared with Ironic's names and fail
 * with a clear "not supported" error.
 */
export class RedfishRaid extends RaidInterface {
  static override readonly optionGroups = [redfishOptions];

  override async close(): Promise<void> {
    await closeRedfishClients();
  }

  override getProperties(): PropertyTable {
    return REDFISH_PROPERTIES;
  }

  validate(task: TaskContext): void {
    driverInfoOf(this.env, task);
  }

  /** Ironic's RAID schema; Redfish has no SCSI interface type for logical disks. */
  override validateRaidConfig(task: TaskContext, config: Record<string, unknown>): void {
    super.validateRaidConfig(task, config);
    const disks = config.logical_disks as readonly Record<string, unknown>[];
    if (disks.some((disk) => disk.interface_type === 'scsi')) {
      throw new InvalidParameterValue('interface type `scsi` not supported by Redfish RAID');
    }
  }

  @cleanStep({ priority: 0, requiresRamdisk: false, argsinfo: CREATE_CONFIGURATION_ARGSINFO })
  create_configuration(task: TaskContext, _args: Record<string, unknown>): Promise<void> {
    return Promise.reject(notSupported(task, 'create_configuration'));
  }

  @cleanStep({ priority: 0, requiresRamdisk: false })
  delete_configuration(task: TaskContext, _args: Record<string, unknown>): Promise<void> {
    return Promise.reject(notSupported(task, 'delete_configuration'));
  }
}

function notSupported(task: TaskContext, step: string): UnsupportedDriverExtension {
  return new UnsupportedDriverExtension(
    task.node.driver,
    `RAID ${step} over Redfish (raid_interface redfish validates target RAID configurations only)`,
  );
}
