/**
 * A System that is a QEMU virtual machine: powered on means the QEMU process runs. At each power
 * on the boot override picks the boot device (Pxe: the NIC's iPXE ROM, Cd: the virtual CD,
 * anything else: the disk), and a `Once` override is used up. Inserting virtual media downloads
 * the image into the backend's directory, as a BMC streams it, and the VM's CD drive holds it at
 * the next power on. The VM's serial console goes to `serialPath`.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { QemuBootDevice } from '../qemu/command';
import { QemuVm } from '../qemu/vm';
import { MediaSlots } from './media-slots';
import { DEFAULT_MEDIA_SLOTS } from './memory';
import type {
  BootOverride,
  IndicatorLed,
  InsertMediaRequest,
  MediaState,
  PowerState,
  ResetType,
  SystemBackend,
  SystemInventory,
  VirtualMediaSlot,
} from './types';
import { SystemBackendError } from './types';

export interface QemuBackendOptions {
  readonly inventory: SystemInventory;
  /** Where downloaded media and QEMU's files go; created, and removed on close. */
  readonly directory: string;
  /** The serial console file (default `<directory>/console.log`); appended to across boots. */
  readonly serialPath?: string;
  /** What QEMU's DHCP offers as boot file for network boot (an iPXE script URL). */
  readonly bootfileUrl?: string;
  readonly memoryMiB?: number;
  /** Each VM run is killed after this long (default 10 minutes). */
  readonly maxRuntimeMs?: number;
}

const RESET_TYPES: readonly ResetType[] = [
  'On',
  'ForceOn',
  'ForceOff',
  'GracefulShutdown',
  'ForceRestart',
  'GracefulRestart',
  'PowerCycle',
  'PushPowerButton',
];

const DOWNLOAD_TIMEOUT_MS = 120_000;

/** The VM's MAC: the inventory's first NIC, as the Redfish EthernetInterfaces show it. */
function macOf(inventory: SystemInventory): string {
  const mac = inventory.ethernetInterfaces[0]?.macAddress;
  if (!mac) throw new Error('a QEMU System needs an Ethernet interface in its inventory');
  return mac.toLowerCase();
}

export class QemuSystemBackend implements SystemBackend {
  readonly inventory: SystemInventory;
  readonly mediaSlots: readonly VirtualMediaSlot[] = DEFAULT_MEDIA_SLOTS;
  readonly resetTypes: readonly ResetType[] = RESET_TYPES;
  readonly serialPath: string;

  readonly #options: QemuBackendOptions;
  #vm: QemuVm | undefined;
  #boot: BootOverride = { target: 'None', enabled: 'Disabled', mode: 'Legacy', httpBootUri: null };
  #led: IndicatorLed = 'Off';
  readonly #media = new MediaSlots(DEFAULT_MEDIA_SLOTS);
  /** Local copies of inserted images, by slot. */
  readonly #files = new Map<string, string>();
  readonly #bootListeners = new Set<() => void>();
  readonly #bootDevices: QemuBootDevice[] = [];

  constructor(options: QemuBackendOptions) {
    this.inventory = options.inventory;
    this.#options = options;
    mkdirSync(options.directory, { recursive: true });
    this.serialPath = options.serialPath ?? join(options.directory, 'console.log');
  }

  /** The boot device of every power on so far, oldest first. */
  get bootDevices(): readonly QemuBootDevice[] {
    return [...this.#bootDevices];
  }

  powerState(): PowerState {
    return this.#vm?.running ? 'On' : 'Off';
  }

  async reset(type: ResetType): Promise<void> {
    const on = this.powerState() === 'On';
    switch (type) {
      case 'On':
      case 'ForceOn':
        if (!on) this.#powerOn();
        return;
      case 'ForceOff':
      case 'GracefulShutdown':
        await this.#powerOff();
        return;
      case 'PushPowerButton':
        if (on) await this.#powerOff();
        else this.#powerOn();
        return;
      case 'ForceRestart':
      case 'GracefulRestart':
      case 'PowerCycle':
        await this.#powerOff();
        this.#powerOn();
        return;
      default:
        throw new SystemBackendError('unsupported', `reset type ${type} is not supported`);
    }
  }

  bootOverride(): BootOverride {
    return this.#boot;
  }

  async setBootOverride(next: BootOverride): Promise<void> {
    this.#boot = next;
  }

  indicatorLed(): IndicatorLed {
    return this.#led;
  }

  async setIndicatorLed(state: IndicatorLed): Promise<void> {
    this.#led = state;
  }

  media(slotId: string): MediaState {
    return this.#media.get(slotId);
  }

  async insertMedia(slotId: string, request: InsertMediaRequest): Promise<void> {
    this.#media.checkEmpty(slotId);
    const file = join(this.#options.directory, `${slotId}.img`);
    await download(request.image, file);
    this.#files.set(slotId, file);
    this.#media.insert(slotId, request);
  }

  async ejectMedia(slotId: string): Promise<void> {
    this.#media.eject(slotId);
    const file = this.#files.get(slotId);
    if (file) rmSync(file, { force: true });
    this.#files.delete(slotId);
  }

  onBoot(listener: () => void): () => void {
    this.#bootListeners.add(listener);
    return () => this.#bootListeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.#powerOff();
    this.#bootListeners.clear();
    rmSync(this.#options.directory, { recursive: true, force: true });
  }

  #powerOn(): void {
    const cdromPath = this.#media.get('Cd').inserted ? this.#files.get('Cd') : undefined;
    const bootDevice = this.#bootDevice(cdromPath !== undefined);
    if (this.#boot.enabled === 'Once') this.#boot = { ...this.#boot, enabled: 'Disabled' };
    this.#bootDevices.push(bootDevice);
    this.#vm = new QemuVm(
      {
        macAddress: macOf(this.inventory),
        serialPath: this.serialPath,
        bootDevice,
        ...(this.#options.memoryMiB ? { memoryMiB: this.#options.memoryMiB } : {}),
        ...(this.#options.bootfileUrl ? { bootfileUrl: this.#options.bootfileUrl } : {}),
        ...(cdromPath ? { cdromPath } : {}),
      },
      this.#options.maxRuntimeMs ? { maxRuntimeMs: this.#options.maxRuntimeMs } : {},
    );
    for (const listener of this.#bootListeners) listener();
  }

  #bootDevice(hasCd: boolean): QemuBootDevice {
    if (this.#boot.enabled === 'Disabled') return 'disk';
    switch (this.#boot.target) {
      case 'Pxe':
      case 'UefiHttp':
        return 'network';
      case 'Cd':
        return hasCd ? 'cdrom' : 'disk';
      default:
        return 'disk';
    }
  }

  async #powerOff(): Promise<void> {
    const vm = this.#vm;
    this.#vm = undefined;
    await vm?.stop();
  }
}

async function download(url: string, file: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    throw new SystemBackendError('failed', `cannot fetch ${url}: ${String(error)}`);
  }
  if (!response.ok) {
    throw new SystemBackendError('failed', `fetching ${url} answered ${response.status}`);
  }
  await writeFile(file, Buffer.from(await response.arrayBuffer()));
}
