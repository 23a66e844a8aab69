/**
 * UEFI Secure Boot as a BMC keeps it: whether it is wanted (takes effect at the next boot),
 * whether the current boot used it, and the key databases' mode.
 */

export type SecureBootMode = 'SetupMode' | 'UserMode' | 'AuditMode' | 'DeployedMode';
export type ResetKeysType = 'ResetAllKeysToDefault' | 'DeleteAllKeys' | 'DeletePK';

export const RESET_KEYS_TYPES: readonly ResetKeysType[] = [
  'ResetAllKeysToDefault',
  'DeleteAllKeys',
  'DeletePK',
];

export interface SecureBootSnapshot {
  readonly enable: boolean;
  readonly currentBoot: 'Enabled' | 'Disabled';
  readonly mode: SecureBootMode;
}

export class SecureBootState {
  enable = false;
  #currentBoot: 'Enabled' | 'Disabled' = 'Disabled';
  #mode: SecureBootMode = 'UserMode';

  get currentBoot(): 'Enabled' | 'Disabled' {
    return this.#currentBoot;
  }

  get mode(): SecureBootMode {
    return this.#mode;
  }

  /** At a boot: Secure Boot is in force if wanted and the platform key is enrolled. */
  booted(): void {
    this.#currentBoot = this.enable && this.#mode !== 'SetupMode' ? 'Enabled' : 'Disabled';
  }

  resetKeys(type: ResetKeysType): void {
    this.#mode = type === 'ResetAllKeysToDefault' ? 'UserMode' : 'SetupMode';
  }

  snapshot(): SecureBootSnapshot {
    return { enable: this.enable, currentBoot: this.#currentBoot, mode: this.#mode };
  }
}
