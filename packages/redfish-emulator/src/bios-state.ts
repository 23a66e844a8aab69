/**
 * A System's BIOS settings as a BMC keeps them: the current attributes, the pending ones PATCHed
 * to the settings object (applied at the next boot), and when and how the last apply went.
 */
import type { RedfishMessage } from './errors';
import { badRequest, baseMessage } from './errors';

export type BiosValue = string | number | boolean;

export interface BiosAttributeDefinition {
  readonly default: BiosValue;
  /** For enumerations: the values accepted. */
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

export const DEFAULT_BIOS_ATTRIBUTES: Readonly<Record<string, BiosAttributeDefinition>> = {
  BootMode: { default: 'Uefi', values: ['Uefi', 'Bios'] },
  EmbeddedSata: { default: 'Raid', values: ['Raid', 'Ahci', 'Off'] },
  NicBoot1: { default: 'NetworkBoot', values: ['NetworkBoot', 'Disabled'] },
  NicBoot2: { default: 'Disabled', values: ['NetworkBoot', 'Disabled'] },
  PowerProfile: { default: 'MaxPerf', values: ['MaxPerf', 'PerfPerWatt', 'Custom'] },
  ProcCoreDisable: { default: 0, min: 0, max: 7 },
  ProcHyperthreading: { default: 'Enabled', values: ['Enabled', 'Disabled'] },
  ProcTurboMode: { default: 'Enabled', values: ['Enabled', 'Disabled'] },
  ProcVirtualization: { default: 'Enabled', values: ['Enabled', 'Disabled'] },
  SecureBoot: { default: 'Disabled', values: ['Enabled', 'Disabled'] },
  SriovGlobalEnable: { default: false },
  UsbControl: { default: 'UsbEnabled', values: ['UsbEnabled', 'UsbDisabled'] },
  AssetTag: { default: '' },
};

export interface BiosSnapshot {
  readonly attributes: Readonly<Record<string, BiosValue>>;
  readonly pending: Readonly<Record<string, BiosValue>>;
  /** ISO time of the last apply of pending settings, if any. */
  readonly lastApplied: string | undefined;
}

export class BiosState {
  readonly #definitions: Readonly<Record<string, BiosAttributeDefinition>>;
  #attributes: Record<string, BiosValue>;
  #pending: Record<string, BiosValue> = {};
  #lastApplied: string | undefined;
  #applyMessages: readonly RedfishMessage[] = [];

  constructor(
    definitions: Readonly<Record<string, BiosAttributeDefinition>> = DEFAULT_BIOS_ATTRIBUTES,
  ) {
    this.#definitions = definitions;
    this.#attributes = this.#defaults();
  }

  get attributes(): Readonly<Record<string, BiosValue>> {
    return this.#attributes;
  }

  get pending(): Readonly<Record<string, BiosValue>> {
    return this.#pending;
  }

  get lastApplied(): string | undefined {
    return this.#lastApplied;
  }

  get applyMessages(): readonly RedfishMessage[] {
    return this.#applyMessages;
  }

  snapshot(): BiosSnapshot {
    return {
      attributes: { ...this.#attributes },
      pending: { ...this.#pending },
      lastApplied: this.#lastApplied,
    };
  }

  /** Checks every attribute first, so a bad one leaves the pending set as it was. */
  stage(changes: unknown): void {
    if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
      throw badRequest(
        'PropertyValueTypeError',
        [JSON.stringify(changes) ?? 'null', 'Attributes'],
        ['#/Attributes'],
      );
    }
    const accepted: Record<string, BiosValue> = {};
    for (const [name, value] of Object.entries(changes as Record<string, unknown>)) {
      accepted[name] = this.#validate(name, value);
    }
    this.#pending = { ...this.#pending, ...accepted };
  }

  /** Applies pending settings (at a boot). */
  applyPending(now = new Date()): void {
    if (Object.keys(this.#pending).length === 0) return;
    this.#attributes = { ...this.#attributes, ...this.#pending };
    this.#pending = {};
    this.#lastApplied = now.toISOString();
    this.#applyMessages = [baseMessage('Success')];
  }

  /** `#Bios.ResetBios`: back to defaults, nothing pending. */
  resetToDefaults(): void {
    this.#attributes = this.#defaults();
    this.#pending = {};
  }

  #defaults(): Record<string, BiosValue> {
    return Object.fromEntries(
      Object.entries(this.#definitions).map(([name, definition]) => [name, definition.default]),
    );
  }

  #validate(name: string, value: unknown): BiosValue {
    const pointer = `#/Attributes/${name}`;
    const definition = this.#definitions[name];
    if (!definition) throw badRequest('PropertyUnknown', [name], [pointer]);
    const shown = JSON.stringify(value) ?? 'null';
    if (typeof value !== typeof definition.default) {
      throw badRequest('PropertyValueTypeError', [shown, name], [pointer]);
    }
    if (definition.values && !definition.values.includes(value as string)) {
      throw badRequest('PropertyValueNotInList', [String(value), name], [pointer]);
    }
    if (
      typeof value === 'number' &&
      ((definition.min !== undefined && value < definition.min) ||
        (definition.max !== undefined && value > definition.max))
    ) {
      throw badRequest('PropertyValueOutOfRange', [shown, name], [pointer]);
    }
    return value as BiosValue;
  }
}
