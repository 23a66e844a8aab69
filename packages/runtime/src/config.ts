import {
  checkForUnknownOptions,
  coreOptionGroups,
  findConfigFile,
  readSources,
  resolveCoreConfig,
  type CoreConfig,
  type OptionGroup,
  type RawConfig,
} from '@galvanic/config';

export interface LoadedConfig {
  config: CoreConfig;
  raw: RawConfig;
  file: string | undefined;
}

export interface LoadConfigOptions {
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /**
   * Sections owned by drivers are checked by the conductor once its drivers are loaded; until
   * then (and in the api, which loads none) sections it does not know are let through.
   */
  driverSectionsCheckedLater?: boolean;
}

/**
 * Reads the config file named on the command line (or the default one) and the environment,
 * and validates every option the process knows. Throws a ConfigError naming the bad option.
 */
export function loadServiceConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const argv = options.argv ?? process.argv;
  const env = options.env ?? process.env;
  const file = findConfigFile(argv, env);
  const raw = readSources({ file, env });
  const config = resolveCoreConfig(raw);
  checkForUnknownOptions(raw, coreOptionGroups, {
    ignoreUnknownSections: options.driverSectionsCheckedLater ?? false,
  });
  return { config, raw, file };
}

/** The conductor's check, once drivers declared their option groups. */
export function checkAllOptionsKnown(raw: RawConfig, driverGroups: readonly OptionGroup[]): void {
  checkForUnknownOptions(raw, [...coreOptionGroups, ...driverGroups]);
}
