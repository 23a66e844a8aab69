import type {
  BootDevice,
  BootDeviceState,
  BootMode,
  IndicatorComponent,
  IndicatorState,
  ManagementInterface,
} from '@galvanic/driver-sdk';
import type { SupportedIndicatorList } from '@galvanic/conductor-api';
import { InvalidParameterValue, UnsupportedDriverExtension } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import type { NodeTask } from '../nodes/task';
import type { CallOrigin, NodeIdent, NodeTaskManager } from '../nodes/task-manager';

/** `set_boot_device`: a device the management interface supports for the node, else refused. */
export async function setBootDevice(
  task: NodeTask,
  device: BootDevice,
  persistent: boolean,
): Promise<void> {
  const management = task.interfaceOf<ManagementInterface>('management');
  await management.validate(task.context);
  const supported = await management.getSupportedBootDevices(task.context);
  if (!supported.includes(device)) {
    throw new InvalidParameterValue(`Invalid boot device ${device} specified.`);
  }
  await management.setBootDevice(task.context, device, persistent);
  await task.save({});
}

/** `get_boot_device`, as the management interface reads it. */
export async function getBootDevice(task: NodeTask): Promise<BootDeviceState> {
  const management = task.interfaceOf<ManagementInterface>('management');
  await management.validate(task.context);
  return management.getBootDevice(task.context);
}

/** `get_supported_boot_devices`. */
export async function supportedBootDevices(task: NodeTask): Promise<BootDevice[]> {
  const management = task.interfaceOf<ManagementInterface>('management');
  return [...(await management.getSupportedBootDevices(task.context))];
}

/**
 * `set_boot_mode` (Ironic's change_node_boot_mode): under the exclusive lock the management
 * interface validates, `last_error` is cleared and the caller is answered; the mode is then set in
 * the background (unless the interface reads it as set already) and recorded as the node's
 * `boot_mode`. A failure, an interface without boot modes included, is recorded in `last_error`
 * in Ironic's words.
 */
export async function startBootModeChange(
  tasks: NodeTaskManager,
  node: NodeIdent,
  call: CallOrigin,
  mode: BootMode,
): Promise<void> {
  await tasks.startAsync(
    node,
    call,
    async (task) => {
      await task.interfaceOf<ManagementInterface>('management').validate(task.context);
      await task.save({ last_error: null });
    },
    async (task) => {
      const management = task.interfaceOf<ManagementInterface>('management');
      let current: BootMode | null = null;
      try {
        current = await management.getBootMode(task.context);
      } catch (error) {
        task.context.logger.warn('could not read the boot mode before changing it', {
          node: task.node.uuid,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
      try {
        if (current !== mode) await management.setBootMode(task.context, mode);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await task.save({ last_error: `Failed to change boot mode to '${mode}: ${reason}` });
        return;
      }
      await task.save({ boot_mode: mode });
    },
    async (task, error) => {
      await task.save({ last_error: `Failed to change boot mode to '${mode}: ${error.message}` });
    },
  );
}

/** `inject_nmi`, under the exclusive lock; a management interface without it refuses (400). */
export async function injectNmi(task: NodeTask): Promise<void> {
  const management = task.interfaceOf<ManagementInterface>('management');
  await management.validate(task.context);
  await management.injectNmi(task.context);
  await task.save({});
}

/**
 * Ironic's `node_cache_boot_mode`: records the boot mode the management interface reads as the
 * node's `boot_mode`. A driver that cannot read it leaves the field as it is; a read that fails is
 * logged and changes nothing.
 */
export async function cacheBootMode(task: NodeTask, logger: Logger): Promise<void> {
  const management = task.interfaceOf<ManagementInterface>('management');
  let mode: BootMode | null;
  try {
    mode = await management.getBootMode(task.context);
  } catch (error) {
    if (!(error instanceof UnsupportedDriverExtension)) {
      logger.warn('could not read the boot mode', {
        node: task.node.uuid,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    return;
  }
  if (mode !== null && mode !== task.node.boot_mode) await task.save({ boot_mode: mode });
}

/** `get_supported_indicators`: the management interface's indicators, as one list. */
export async function supportedIndicators(task: NodeTask): Promise<SupportedIndicatorList> {
  const management = task.interfaceOf<ManagementInterface>('management');
  await management.validate(task.context);
  const byComponent = await management.getSupportedIndicators(task.context);
  const indicators: SupportedIndicatorList['indicators'] = [];
  for (const [component, named] of Object.entries(byComponent) as [
    IndicatorComponent,
    Readonly<Record<string, { readonly: boolean; states: readonly IndicatorState[] }>>,
  ][]) {
    for (const [name, info] of Object.entries(named)) {
      indicators.push({ component, name, readonly: info.readonly, states: [...info.states] });
    }
  }
  return { indicators };
}

/** `get_indicator_state`. */
export async function indicatorState(
  task: NodeTask,
  component: IndicatorComponent,
  indicator: string,
): Promise<IndicatorState> {
  const management = task.interfaceOf<ManagementInterface>('management');
  await management.validate(task.context);
  return management.getIndicatorState(task.context, component, indicator);
}

/** `set_indicator_state`, under the exclusive lock. */
export async function setIndicatorState(
  task: NodeTask,
  component: IndicatorComponent,
  indicator: string,
  state: IndicatorState,
): Promise<void> {
  const management = task.interfaceOf<ManagementInterface>('management');
  await management.validate(task.context);
  await management.setIndicatorState(task.context, component, indicator, state);
  await task.save({});
}
