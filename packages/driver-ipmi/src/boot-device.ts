import type { BootDevice, DriverEnvironment, NodeView, TaskContext } from '@galvanic/driver-sdk';
import type { BootDevice as IpmiBootDevice } from 'ipmi-ts';
import { ipmiOptions } from './options';
import { ipmiCall } from './call';
import type { IpmiConnection } from './connect';

/** Ironic's boot devices for the ipmitool management interface; IPMI has the same names for them. */
export const SUPPORTED_BOOT_DEVICES: readonly BootDevice[] = [
  'pxe',
  'disk',
  'cdrom',
  'bios',
  'safe',
];

/** The Ironic name of a boot device selector read from the BMC; null for "no override" and others. */
export function fromIpmiDevice(device: IpmiBootDevice | undefined): BootDevice | null {
  return SUPPORTED_BOOT_DEVICES.find((known) => known === device) ?? null;
}

/**
 * Whether to ask for an EFI boot: the node's deploy boot mode, else its boot_mode capability, else
 * UEFI, Ironic's default boot mode.
 */
export function wantsUefi(node: NodeView): boolean {
  const mode =
    node.instanceInfo.deploy_boot_mode ?? capability(node.properties.capabilities, 'boot_mode');
  return mode !== 'bios';
}

function capability(capabilities: unknown, name: string): unknown {
  if (typeof capabilities === 'object' && capabilities !== null) {
    return (capabilities as Record<string, unknown>)[name];
  }
  if (typeof capabilities !== 'string') return undefined;
  for (const pair of capabilities.split(',')) {
    const [key, value] = pair.split(':');
    if (key?.trim() === name) return value?.trim();
  }
  return undefined;
}

/** Sets boot option parameter 5 on the BMC, first disabling the 60-second flag timeout if asked to. */
export async function sendBootDevice(
  env: DriverEnvironment,
  task: TaskContext,
  connection: IpmiConnection,
  device: BootDevice,
  persistent: boolean,
): Promise<void> {
  const { bmc, info } = connection;
  if (info.disableBootTimeout ?? env.config.get(ipmiOptions).disable_boot_timeout) {
    // Boot option parameter 3, bit 3: keep the boot flags valid past the 60 s timeout.
    const answer = await ipmiCall(task, connection, 'disabling the boot flag timeout', () =>
      bmc.raw(0x00, 0x08, [0x03, 0x08]),
    );
    if (answer.completionCode !== 0) {
      task.logger.warn('the BMC refused to disable the boot flag timeout', {
        node: task.node.uuid,
        completion_code: `0x${answer.completionCode.toString(16).padStart(2, '0')}`,
      });
    }
  }
  await ipmiCall(task, connection, `setting boot device ${device}`, () =>
    bmc.setBootDevice({
      device: device as IpmiBootDevice,
      persistent,
      efi: wantsUefi(task.node),
    }),
  );
}
