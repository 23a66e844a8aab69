import { existsSync } from 'node:fs';
import { ConfigError, resolveGroup, type OptionGroup, type RawConfig } from '@galvanic/driver-sdk';
import { readConfigFile, readEnvironment } from './sources';

export { ConfigError, resolveGroup };

/** Where configuration comes from: a file (optional) overridden by the environment. */
export interface ConfigSources {
  file?: string;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_FILES = ['galvanic.yaml', 'galvanic.conf', '/etc/galvanic/galvanic.conf'];

/** The config file named by `--config-file`, `GALVANIC_CONFIG_FILE`, or a default location. */
export function findConfigFile(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): string | undefined {
  const flag = argv.indexOf('--config-file');
  if (flag >= 0) {
    const path = argv[flag + 1];
    if (!path) throw new ConfigError('--config-file needs a path');
    return path;
  }
  if (env.GALVANIC_CONFIG_FILE) return env.GALVANIC_CONFIG_FILE;
  return DEFAULT_FILES.find((path) => existsSync(path));
}

/** Reads the raw values of every source, later sources winning. */
export function readSources(sources: ConfigSources): RawConfig {
  const raw: RawConfig = new Map();
  if (sources.file) {
    if (!existsSync(sources.file))
      throw new ConfigError(`config file ${sources.file} does not exist`);
    try {
      readConfigFile(sources.file, raw);
    } catch (error) {
      throw new ConfigError(`cannot read config file: ${(error as Error).message}`);
    }
  }
  readEnvironment(sources.env ?? {}, raw);
  return raw;
}

/**
 * Refuses options that no known group declares, so a typo never silently falls back to a
 * default. `groups` must hold every group the process knows, including those of loaded drivers;
 * a process that loads no drivers (the api) ignores sections it does not know instead.
 */
export function checkForUnknownOptions(
  raw: RawConfig,
  groups: readonly OptionGroup[],
  settings: { ignoreUnknownSections?: boolean } = {},
): void {
  const known = new Map<string, Set<string>>();
  for (const group of groups) {
    const names = known.get(group.name.toLowerCase()) ?? new Set<string>();
    for (const option of Object.keys(group.options)) names.add(option.toLowerCase());
    known.set(group.name.toLowerCase(), names);
  }
  for (const [section, options] of raw) {
    const names = known.get(section);
    for (const [option, entry] of options) {
      if (!names) {
        if (settings.ignoreUnknownSections) break;
        throw new ConfigError(
          `unknown config section [${section}] (option ${option} from ${entry.source})`,
        );
      }
      if (!names.has(option)) {
        throw new ConfigError(`unknown option [${section}] ${option} from ${entry.source}`);
      }
    }
  }
}
