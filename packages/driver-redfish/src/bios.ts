import {
  BiosInterface,
  type BiosSetting,
  InvalidParameterValue,
  cleanStep,
  deployStep,
  sleepUnlessAborted,
  type PowerInterface,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import type { BiosAttributeValue } from 'redfish-ts';
import { redfishCall } from './call';
import { closeRedfishClients, connect, driverInfoOf, type RedfishConnection } from './connect';
import { RedfishFailure } from './errors';
import { redfishOptions } from './options';
import { REDFISH_PROPERTIES } from './properties';

export type { BiosSetting };

const APPLY_CONFIGURATION_ARGSINFO = {
  settings: { description: 'A list of BIOS settings to be applied', required: true },
};

/** The `settings` argument: a list of `{name, value}`. */
export function parseSettings(value: unknown): Record<string, BiosAttributeValue> {
  const invalid = (why: string) =>
    new InvalidParameterValue(
      `The apply_configuration argument "settings" must be a list of {"name": ..., "value": ...}: ${why}.`,
    );
  if (!Array.isArray(value) || value.length === 0) throw invalid('it is not a non-empty list');
  const attributes: Record<string, BiosAttributeValue> = {};
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null)
      throw invalid(`${JSON.stringify(item)} is not an object`);
    const { name, value: setting } = item as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || name === '')
      throw invalid(`${JSON.stringify(item)} has no name`);
    if (!['string', 'number', 'boolean'].includes(typeof setting) && setting !== null) {
      throw invalid(`the value of ${name} is not a string, number or boolean`);
    }
    attributes[name] = setting as BiosAttributeValue;
  }
  return attributes;
}

function powerOf(task: TaskContext): PowerInterface {
  return task.driver.power;
}

/**
 * Ironic's `redfish` BIOS interface. Settings are PATCHed to the BIOS settings object, the node is
 * rebooted so the firmware takes them, and the step ends once the BMC reports them current (a
 * step here runs to its end; Ironic instead returns to a wait state and checks after the reboot).
 * `cacheBiosSettings` reads the current settings in Ironic's shape (names and values; the BIOS
 * attribute registry is not read yet), which the conductor keeps as the node's BIOS settings.
 */
export class RedfishBios extends BiosInterface {
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

  /** The System's current BIOS attributes, by name. */
  override async cacheBiosSettings(task: TaskContext): Promise<BiosSetting[]> {
    const connection = connect(this.env, task);
    const attributes = await redfishCall(task, connection, 'reading BIOS attributes', () =>
      connection.system.getBiosAttributes(),
    );
    return Object.keys(attributes)
      .sort()
      .map((name) => ({ name, value: attributes[name] ?? null }));
  }

  @cleanStep({ priority: 0, argsinfo: APPLY_CONFIGURATION_ARGSINFO, requiresRamdisk: false })
  @deployStep({ priority: 0, argsinfo: APPLY_CONFIGURATION_ARGSINFO, requiresRamdisk: false })
  async apply_configuration(
    task: TaskContext,
    args: Record<string, unknown>,
  ): Promise<BiosSetting[]> {
    const wanted = parseSettings(args.settings);
    const connection = connect(this.env, task);
    await redfishCall(task, connection, 'setting BIOS attributes', () =>
      connection.system.setBiosAttributes(wanted),
    );
    task.logger.info('BIOS settings pending; rebooting to apply them', {
      node: task.node.uuid,
      settings: Object.keys(wanted),
    });
    await powerOf(task).reboot(task);
    await this.waitForAttributes(task, connection, wanted);
    return this.cacheBiosSettings(task);
  }

  @cleanStep({ priority: 0, requiresRamdisk: false })
  @deployStep({ priority: 0, requiresRamdisk: false })
  async factory_reset(task: TaskContext, _args: Record<string, unknown>): Promise<BiosSetting[]> {
    const connection = connect(this.env, task);
    await redfishCall(task, connection, 'Bios.ResetBios', () => connection.system.resetBios());
    task.logger.info('BIOS reset to defaults; rebooting', { node: task.node.uuid });
    await powerOf(task).reboot(task);
    return this.cacheBiosSettings(task);
  }

  private async waitForAttributes(
    task: TaskContext,
    connection: RedfishConnection,
    wanted: Record<string, BiosAttributeValue>,
  ): Promise<void> {
    const options = this.env.config.get(redfishOptions);
    const deadline = Date.now() + options.bios_settings_apply_timeout * 1000;
    let interval = 50;
    for (;;) {
      const current = await redfishCall(task, connection, 'reading BIOS attributes', () =>
        connection.system.getBiosAttributes(),
      );
      const differing = Object.keys(wanted).filter((name) => current[name] !== wanted[name]);
      if (differing.length === 0) return;
      if (Date.now() >= deadline) {
        throw new RedfishFailure(
          `Failed to apply BIOS settings on node ${task.node.uuid}: after the reboot the BMC still reports ${differing
            .map(
              (name) =>
                `${name}=${JSON.stringify(current[name] ?? null)} (wanted ${JSON.stringify(wanted[name])})`,
            )
            .join(', ')}.`,
        );
      }
      await sleepUnlessAborted(Math.min(interval, deadline - Date.now()), task.signal);
      interval = Math.min(interval * 2, options.power_state_poll_interval * 1000);
    }
  }
}
