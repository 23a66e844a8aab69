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

/**
 * Reads the config file named on the command line (or the default one) and the environment,
 * and validates every option the process knows. Throws a ConfigError naming the bad option.
 */
export function loadServiceConfig(
  argv: readonly string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
  extraGroups: readonly OptionGroup[] = [],
): LoadedConfig {
  const file = findConfigFile(argv, env);
  const raw = readSources({ file, env });
  const config = resolveCoreConfig(raw);
  checkForUnknownOptions(raw, [...coreOptionGroups, ...extraGroups]);
  return { config, raw, file };
}
