/**
 * What sits behind one emulated ComputerSystem. The HTTP layer only talks to this interface, so a
 * System can be an in-memory simulation (the default) or, later, a QEMU virtual machine (power =
 * the VM runs; boot override and virtual media = how it boots).
 *
 * Reads are synchronous (a backend keeps its state at hand, e.g. updated from QMP events) so GETs
 * stay cheap; changes are asynchronous.
 */

/** ComputerSystem.PowerState (Resource.PowerState). */
export type PowerState = 'On' | 'Off' | 'PoweringOn' | 'PoweringOff' | 'Paused';

/** Resource.ResetType values a System may offer. */
export type ResetType =
  | 'On'
  | 'ForceOff'
  | 'GracefulShutdown'
  | 'GracefulRestart'
  | 'ForceRestart'
  | 'Nmi'
  | 'ForceOn'
  | 'PushPowerButton'
  | 'PowerCycle'
  | 'Suspend'
  | 'Pause'
  | 'Resume';

/** ComputerSystem.BootSource values. */
export type BootSourceTarget =
  | 'None'
  | 'Pxe'
  | 'Floppy'
  | 'Cd'
  | 'Usb'
  | 'Hdd'
  | 'BiosSetup'
  | 'Utilities'
  | 'Diags'
  | 'UefiShell'
  | 'UefiTarget'
  | 'SDCard'
  | 'UefiHttp'
  | 'RemoteDrive'
  | 'UefiBootNext'
  | 'Recovery';

export type BootSourceOverrideEnabled = 'Disabled' | 'Once' | 'Continuous';
export type BootSourceOverrideMode = 'UEFI' | 'Legacy';

export interface BootOverride {
  readonly target: BootSourceTarget;
  readonly enabled: BootSourceOverrideEnabled;
  readonly mode: BootSourceOverrideMode;
  /** Boot.HttpBootUri, used with target UefiHttp; null lets the host use what DHCP says. */
  readonly httpBootUri: string | null;
}

/** Resource.IndicatorLED. `LocationIndicatorActive` is true unless this is `Off`. */
export type IndicatorLed = 'Off' | 'Lit' | 'Blinking';

/** VirtualMedia.MediaType. */
export type VirtualMediaType = 'CD' | 'DVD' | 'Floppy' | 'USBStick';

export interface VirtualMediaSlot {
  /** The VirtualMedia resource's Id, e.g. `Cd`. */
  readonly id: string;
  readonly name: string;
  readonly mediaTypes: readonly VirtualMediaType[];
}

export type TransferProtocolType =
  'CIFS' | 'FTP' | 'SFTP' | 'HTTP' | 'HTTPS' | 'NFS' | 'SCP' | 'TFTP' | 'OEM';
export type TransferMethod = 'Stream' | 'Upload';

export interface InsertMediaRequest {
  readonly image: string;
  readonly inserted: boolean;
  readonly writeProtected: boolean;
  readonly transferProtocolType?: TransferProtocolType;
  readonly transferMethod?: TransferMethod;
  readonly userName?: string;
  /** Kept by the backend only if it needs it to fetch the image; never shown over HTTP. */
  readonly password?: string;
}

export interface MediaState {
  readonly image: string | null;
  readonly inserted: boolean;
  readonly writeProtected: boolean;
  readonly transferProtocolType: TransferProtocolType | null;
  readonly transferMethod: TransferMethod | null;
  readonly userName: string | null;
}

export interface ProcessorInfo {
  readonly id: string;
  readonly socket: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly architecture: 'x86' | 'ARM';
  readonly instructionSet: 'x86-64' | 'ARM-A64';
  readonly maxSpeedMHz: number;
  readonly cores: number;
  readonly threads: number;
}

export interface MemoryInfo {
  readonly id: string;
  readonly deviceLocator: string;
  readonly capacityMiB: number;
  readonly memoryDeviceType: 'DDR4' | 'DDR5';
  readonly operatingSpeedMhz: number;
}

export interface EthernetInterfaceInfo {
  readonly id: string;
  readonly macAddress: string;
  readonly speedMbps: number;
  readonly linkUp: boolean;
}

export interface DiskInfo {
  readonly id: string;
  readonly name: string;
  readonly model: string;
  readonly capacityBytes: number;
  readonly mediaType: 'SSD' | 'HDD';
  readonly protocol: 'SATA' | 'SAS' | 'NVMe';
  readonly serialNumber: string;
}

/** What the System is made of: fixed for the life of the backend. */
export interface SystemInventory {
  readonly name: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly sku: string;
  readonly serialNumber: string;
  readonly uuid: string;
  readonly hostName: string;
  readonly biosVersion: string;
  readonly processors: readonly ProcessorInfo[];
  readonly memory: readonly MemoryInfo[];
  readonly ethernetInterfaces: readonly EthernetInterfaceInfo[];
  readonly disks: readonly DiskInfo[];
}

/**
 * A refusal the HTTP layer turns into a Redfish error: `conflict` → 409 ResourceInUse,
 * `unsupported` → 400 ActionNotSupported, `failed` → 500 InternalError.
 */
export class SystemBackendError extends Error {
  readonly kind: 'conflict' | 'unsupported' | 'failed';

  constructor(kind: 'conflict' | 'unsupported' | 'failed', message: string) {
    super(message);
    this.name = 'SystemBackendError';
    this.kind = kind;
  }
}

export interface SystemBackend {
  readonly inventory: SystemInventory;
  readonly mediaSlots: readonly VirtualMediaSlot[];
  /** Reset types this backend can carry out (the action's `ResetType@Redfish.AllowableValues`). */
  readonly resetTypes: readonly ResetType[];

  powerState(): PowerState;
  /** Starts the reset; resolves once it was accepted (a transition may still be under way). */
  reset(type: ResetType): Promise<void>;

  bootOverride(): BootOverride;
  setBootOverride(next: BootOverride): Promise<void>;

  indicatorLed(): IndicatorLed;
  setIndicatorLed(state: IndicatorLed): Promise<void>;

  media(slotId: string): MediaState;
  insertMedia(slotId: string, request: InsertMediaRequest): Promise<void>;
  ejectMedia(slotId: string): Promise<void>;

  /**
   * Calls `listener` each time the host starts its firmware (power on, restart): the moment a
   * one-time boot override is used up and pending BIOS settings are applied. Returns an
   * unsubscribe function.
   */
  onBoot(listener: () => void): () => void;

  /** Stops timers and releases what the backend holds. */
  close(): Promise<void>;
}
