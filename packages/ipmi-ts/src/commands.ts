/** Request builders and response parsers for the supported IPMI commands. */
import { IpmiProtocolError } from './errors';
import type { IpmiRequest } from './message';
import { AppCmd, NetFn } from './session';

export const ChassisCmd = {
  GetChassisStatus: 0x01,
  ChassisControl: 0x02,
  SetSystemBootOptions: 0x08,
  GetSystemBootOptions: 0x09,
} as const;

export interface DeviceId {
  readonly deviceId: number;
  readonly deviceRevision: number;
  readonly providesDeviceSdrs: boolean;
  /** False while the device is in firmware update / self-initialization. */
  readonly deviceAvailable: boolean;
  readonly firmwareMajor: number;
  /** Minor firmware revision decoded from BCD. */
  readonly firmwareMinor: number;
  /** e.g. "9.08". */
  readonly firmwareRevision: string;
  /** e.g. "2.0". */
  readonly ipmiVersion: string;
  readonly additionalDeviceSupport: number;
  readonly manufacturerId: number;
  readonly productId: number;
  readonly auxFirmwareRevision: Buffer | undefined;
}

export const getDeviceIdRequest: IpmiRequest = {
  netFn: NetFn.App,
  command: AppCmd.GetDeviceId,
  data: new Uint8Array(0),
};

function bcd(b: number): number {
  return (b >> 4) * 10 + (b & 0x0f);
}

export function parseDeviceId(d: Buffer): DeviceId {
  if (d.length < 11) throw new IpmiProtocolError(`Get Device ID response too short (${d.length})`);
  const at = (i: number): number => d[i] ?? 0;
  const minor = bcd(at(3));
  return {
    deviceId: at(0),
    deviceRevision: at(1) & 0x0f,
    providesDeviceSdrs: (at(1) & 0x80) !== 0,
    deviceAvailable: (at(2) & 0x80) === 0,
    firmwareMajor: at(2) & 0x7f,
    firmwareMinor: minor,
    firmwareRevision: `${at(2) & 0x7f}.${String(minor).padStart(2, '0')}`,
    ipmiVersion: `${at(4) & 0x0f}.${at(4) >> 4}`,
    additionalDeviceSupport: at(5),
    manufacturerId: at(6) | (at(7) << 8) | ((at(8) & 0x0f) << 16),
    productId: at(9) | (at(10) << 8),
    auxFirmwareRevision: d.length >= 15 ? Buffer.from(d.subarray(11, 15)) : undefined,
  };
}

export type PowerRestorePolicy = 'always-off' | 'previous' | 'always-on' | 'unknown';

export interface ChassisStatus {
  readonly powerOn: boolean;
  readonly powerOverload: boolean;
  readonly powerInterlock: boolean;
  readonly mainPowerFault: boolean;
  readonly powerControlFault: boolean;
  readonly powerRestorePolicy: PowerRestorePolicy;
  readonly lastPowerEvent: {
    readonly acFailed: boolean;
    readonly overload: boolean;
    readonly interlock: boolean;
    readonly fault: boolean;
    /** Last power on was commanded via IPMI. */
    readonly commandOn: boolean;
  };
  readonly chassisIntrusion: boolean;
  readonly frontPanelLockout: boolean;
  readonly driveFault: boolean;
  readonly coolingFault: boolean;
}

export const getChassisStatusRequest: IpmiRequest = {
  netFn: NetFn.Chassis,
  command: ChassisCmd.GetChassisStatus,
  data: new Uint8Array(0),
};

const RESTORE: readonly PowerRestorePolicy[] = ['always-off', 'previous', 'always-on', 'unknown'];

export function parseChassisStatus(d: Buffer): ChassisStatus {
  if (d.length < 3)
    throw new IpmiProtocolError(`Get Chassis Status response too short (${d.length})`);
  const p = d[0] ?? 0;
  const e = d[1] ?? 0;
  const m = d[2] ?? 0;
  return {
    powerOn: (p & 0x01) !== 0,
    powerOverload: (p & 0x02) !== 0,
    powerInterlock: (p & 0x04) !== 0,
    mainPowerFault: (p & 0x08) !== 0,
    powerControlFault: (p & 0x10) !== 0,
    powerRestorePolicy: RESTORE[(p >> 5) & 0x03] ?? 'unknown',
    lastPowerEvent: {
      acFailed: (e & 0x01) !== 0,
      overload: (e & 0x02) !== 0,
      interlock: (e & 0x04) !== 0,
      fault: (e & 0x08) !== 0,
      commandOn: (e & 0x10) !== 0,
    },
    chassisIntrusion: (m & 0x01) !== 0,
    frontPanelLockout: (m & 0x02) !== 0,
    driveFault: (m & 0x04) !== 0,
    coolingFault: (m & 0x08) !== 0,
  };
}

/** on: power up; off: power down (hard); cycle; reset: hard reset; diag: pulse diagnostic interrupt; soft: ACPI soft shutdown. */
export type ChassisControlAction = 'off' | 'on' | 'cycle' | 'reset' | 'diag' | 'soft';

const CONTROL: Readonly<Record<ChassisControlAction, number>> = {
  off: 0x00,
  on: 0x01,
  cycle: 0x02,
  reset: 0x03,
  diag: 0x04,
  soft: 0x05,
};

export function chassisControlRequest(action: ChassisControlAction): IpmiRequest {
  const code = CONTROL[action];
  if (code === undefined)
    throw new IpmiProtocolError(`unknown chassis control action: ${String(action)}`);
  return { netFn: NetFn.Chassis, command: ChassisCmd.ChassisControl, data: Buffer.from([code]) };
}

/** Boot device selectors of boot option parameter 5, data byte 2 bits 5:2. */
export type BootDevice =
  | 'none'
  | 'pxe'
  | 'disk'
  | 'safe'
  | 'diag'
  | 'cdrom'
  | 'bios'
  | 'remote-floppy'
  | 'remote-cdrom'
  | 'remote-media'
  | 'remote-disk'
  | 'floppy';

const BOOT_DEVICES: Readonly<Record<BootDevice, number>> = {
  none: 0x0,
  pxe: 0x1,
  disk: 0x2,
  safe: 0x3,
  diag: 0x4,
  cdrom: 0x5,
  bios: 0x6,
  'remote-floppy': 0x7,
  'remote-cdrom': 0x8,
  'remote-media': 0x9,
  'remote-disk': 0xb,
  floppy: 0xf,
};

export interface BootDeviceSetting {
  readonly device: BootDevice;
  /** Apply to all future boots rather than only the next one. */
  readonly persistent?: boolean;
  /** Request an EFI boot rather than legacy BIOS. */
  readonly efi?: boolean;
}

export interface BootDeviceInfo {
  /** Undefined when the selector is not one of the known values. */
  readonly device: BootDevice | undefined;
  readonly selector: number;
  readonly persistent: boolean;
  readonly efi: boolean;
  /** Boot flags valid bit. */
  readonly valid: boolean;
  /** Parameter-level valid/locked bit (bit 7 of the parameter valid byte). */
  readonly parameterLocked: boolean;
  readonly raw: Buffer;
}

export const BOOT_PARAM_SET_IN_PROGRESS = 0x00;
export const BOOT_PARAM_BOOT_FLAGS = 0x05;

export function setBootOptionRequest(param: number, data: Uint8Array): IpmiRequest {
  return {
    netFn: NetFn.Chassis,
    command: ChassisCmd.SetSystemBootOptions,
    data: Buffer.concat([Buffer.from([param & 0x7f]), data]),
  };
}

export function bootFlagsData(s: BootDeviceSetting): Buffer {
  const selector = BOOT_DEVICES[s.device];
  if (selector === undefined)
    throw new IpmiProtocolError(`unknown boot device: ${String(s.device)}`);
  const b1 = 0x80 | (s.persistent ? 0x40 : 0) | (s.efi ? 0x20 : 0);
  return Buffer.from([b1, selector << 2, 0x00, 0x00, 0x00]);
}

export const getBootFlagsRequest: IpmiRequest = {
  netFn: NetFn.Chassis,
  command: ChassisCmd.GetSystemBootOptions,
  data: Buffer.from([BOOT_PARAM_BOOT_FLAGS, 0x00, 0x00]),
};

export function parseBootFlags(d: Buffer): BootDeviceInfo {
  // version, parameter valid byte, then 5 data bytes
  if (d.length < 4)
    throw new IpmiProtocolError(`Get System Boot Options response too short (${d.length})`);
  if (((d[1] ?? 0) & 0x7f) !== BOOT_PARAM_BOOT_FLAGS) {
    throw new IpmiProtocolError('Get System Boot Options returned a different parameter');
  }
  const b1 = d[2] ?? 0;
  const selector = ((d[3] ?? 0) >> 2) & 0x0f;
  const device = (Object.keys(BOOT_DEVICES) as BootDevice[]).find(
    (k) => BOOT_DEVICES[k] === selector,
  );
  return {
    device,
    selector,
    persistent: (b1 & 0x40) !== 0,
    efi: (b1 & 0x20) !== 0,
    valid: (b1 & 0x80) !== 0,
    parameterLocked: ((d[1] ?? 0) & 0x80) !== 0,
    raw: Buffer.from(d.subarray(2)),
  };
}

export const coldResetRequest: IpmiRequest = {
  netFn: NetFn.App,
  command: AppCmd.ColdReset,
  data: new Uint8Array(0),
};

export const warmResetRequest: IpmiRequest = {
  netFn: NetFn.App,
  command: AppCmd.WarmReset,
  data: new Uint8Array(0),
};
