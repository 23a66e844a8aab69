import {
  FirmwareInterface,
  UnsupportedDriverExtension,
  type FirmwareComponent,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { redfishCall } from './call';
import { closeRedfishClients, connect, driverInfoOf } from './connect';
import { RedfishConnectionFailure, RedfishFailure } from './errors';
import { redfishOptions } from './options';
import { REDFISH_PROPERTIES } from './properties';

/**
 * Ironic's `redfish` firmware interface, for reading only: the BIOS version the System reports
 * and the firmware of the Manager that manages it. Firmware update steps are not implemented.
 */
export class RedfishFirmware extends FirmwareInterface {
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

  override async cacheFirmwareComponents(task: TaskContext): Promise<FirmwareComponent[]> {
    const connection = connect(this.env, task);
    const system = await redfishCall(task, connection, 'reading the System', () =>
      connection.system.get(),
    );
    const components: FirmwareComponent[] = [];
    if (system.BiosVersion) {
      components.push({
        component: 'bios',
        current_version: system.BiosVersion,
        vendor: null,
        model: null,
        serial_number: null,
      });
    }
    try {
      const [manager] = await redfishCall(task, connection, 'reading the Manager', () =>
        connection.system.managers(),
      );
      if (manager?.FirmwareVersion) {
        components.push({
          component: 'bmc',
          current_version: manager.FirmwareVersion,
          vendor: null,
          model: manager.Model ?? null,
          serial_number: null,
        });
      }
    } catch (error) {
      // As in Ironic: without a readable Manager the BIOS version alone is still worth keeping.
      if (!(error instanceof RedfishFailure || error instanceof RedfishConnectionFailure))
        throw error;
      task.logger.warn('No manager available to read the BMC firmware version', {
        node: task.node.uuid,
        error: error.message,
      });
    }
    if (components.length === 0) {
      throw new UnsupportedDriverExtension(
        task.node.driver,
        `reading firmware components of node ${task.node.uuid}: its BMC reports no BIOS or BMC version`,
      );
    }
    return components;
  }
}
