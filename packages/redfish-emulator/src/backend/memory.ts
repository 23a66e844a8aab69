/**
 * The default System backend: a host simulated in memory. Power changes go through PoweringOn /
 * PoweringOff for `transitionMs()` milliseconds (0: at once); reaching On from Off, or a restart,
 * is a boot.
 */
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
import { MediaSlots } from './media-slots';
import { SystemBackendError } from './types';

export const DEFAULT_MEDIA_SLOTS: readonly VirtualMediaSlot[] = [
  { id: 'Cd', name: 'Virtual CD', mediaTypes: ['CD', 'DVD'] },
  { id: 'Usb', name: 'Virtual USB', mediaTypes: ['USBStick', 'Floppy'] },
];

export const MEMORY_RESET_TYPES: readonly ResetType[] = [
  'On',
  'ForceOff',
  'GracefulShutdown',
  'GracefulRestart',
  'ForceRestart',
  'Nmi',
  'ForceOn',
  'PushPowerButton',
  'PowerCycle',
];

export interface MemoryBackendOptions {
  readonly inventory: SystemInventory;
  readonly mediaSlots?: readonly VirtualMediaSlot[];
  readonly initialPowerState?: 'On' | 'Off';
  /** How long a power transition takes, read at each change so tests can change it at run time. */
  readonly transitionMs?: () => number;
}

/** What a test can read of a simulated host beyond the backend interface. */
export interface MemoryBackendHistory {
  /** Every reset type received, oldest first. */
  readonly resets: readonly ResetType[];
  readonly boots: number;
  readonly nmis: number;
}

export class MemorySystemBackend implements SystemBackend {
  readonly inventory: SystemInventory;
  readonly mediaSlots: readonly VirtualMediaSlot[];
  readonly resetTypes: readonly ResetType[] = MEMORY_RESET_TYPES;

  #power: PowerState;
  #boot: BootOverride = { target: 'None', enabled: 'Disabled', mode: 'UEFI', httpBootUri: null };
  #led: IndicatorLed = 'Off';
  readonly #media: MediaSlots;
  readonly #bootListeners = new Set<() => void>();
  readonly #transitionMs: () => number;
  #transition: NodeJS.Timeout | undefined;
  #resets: ResetType[] = [];
  #boots = 0;
  #nmis = 0;

  constructor(options: MemoryBackendOptions) {
    this.inventory = options.inventory;
    this.mediaSlots = options.mediaSlots ?? DEFAULT_MEDIA_SLOTS;
    this.#power = options.initialPowerState ?? 'Off';
    this.#transitionMs = options.transitionMs ?? (() => 0);
    this.#media = new MediaSlots(this.mediaSlots);
  }

  powerState(): PowerState {
    return this.#power;
  }

  /** Sets the power state directly, as if someone pressed a button the BMC did not see. */
  setPowerState(state: 'On' | 'Off'): void {
    this.#cancelTransition();
    this.#power = state;
  }

  history(): MemoryBackendHistory {
    return { resets: [...this.#resets], boots: this.#boots, nmis: this.#nmis };
  }

  async reset(type: ResetType): Promise<void> {
    if (!this.resetTypes.includes(type)) {
      throw new SystemBackendError('unsupported', `reset type ${type} is not supported`);
    }
    this.#resets.push(type);
    const poweredOn = this.#power === 'On' || this.#power === 'PoweringOn';
    switch (type) {
      case 'On':
      case 'ForceOn':
        if (!poweredOn) this.#powerOn();
        return;
      case 'ForceOff':
      case 'GracefulShutdown':
        if (this.#power !== 'Off') this.#powerOff();
        return;
      case 'PushPowerButton':
        if (poweredOn) this.#powerOff();
        else this.#powerOn();
        return;
      case 'GracefulRestart':
      case 'ForceRestart':
        // A restart of a host that is off starts it: what Ironic's reboot wants, and what many
        // BMCs do.
        if (poweredOn) this.#restart();
        else this.#powerOn();
        return;
      case 'PowerCycle':
        if (poweredOn) this.#powerOff(() => this.#powerOn());
        else this.#powerOn();
        return;
      case 'Nmi':
        if (this.#power === 'On') this.#nmis += 1;
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
    this.#media.insert(slotId, request);
  }

  async ejectMedia(slotId: string): Promise<void> {
    this.#media.eject(slotId);
  }

  onBoot(listener: () => void): () => void {
    this.#bootListeners.add(listener);
    return () => this.#bootListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#cancelTransition();
    this.#bootListeners.clear();
  }

  #powerOn(): void {
    this.#moveTo('PoweringOn', 'On', () => this.#booted());
  }

  #powerOff(then?: () => void): void {
    this.#moveTo('PoweringOff', 'Off', then);
  }

  #restart(): void {
    this.#cancelTransition();
    this.#booted();
  }

  #moveTo(through: PowerState, to: 'On' | 'Off', arrived?: () => void): void {
    this.#cancelTransition();
    const delay = this.#transitionMs();
    if (delay <= 0) {
      this.#power = to;
      arrived?.();
      return;
    }
    this.#power = through;
    this.#transition = setTimeout(() => {
      this.#transition = undefined;
      this.#power = to;
      arrived?.();
    }, delay);
  }

  #cancelTransition(): void {
    if (this.#transition) clearTimeout(this.#transition);
    this.#transition = undefined;
  }

  #booted(): void {
    this.#boots += 1;
    if (this.#boot.enabled === 'Once') this.#boot = { ...this.#boot, enabled: 'Disabled' };
    for (const listener of this.#bootListeners) listener();
  }
}
