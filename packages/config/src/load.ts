import { existsSync } from 'node:fs';
import type { GroupValues, OptionGroup, OptionGroupSpec } from './options';
import { readConfigFile, readEnvironment, type RawConfig } from './sources';

/** A start-up refusal that names the bad option and where its value came from. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

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
 * Parses one group's options from the raw values, defaulting what is absent.
 * Throws a ConfigError naming `[section] option` and its source when a value is bad.
 */
export function resolveGroup<G extends OptionGroupSpec>(
  raw: RawConfig,
  group: OptionGroup<G>,
): GroupValues<G> {
  const values: Record<string, unknown> = {};
  const given = raw.get(group.name.toLowerCase());
  for (const [name, spec] of Object.entries(group.options)) {
    const entry = given?.get(name.toLowerCase());
    if (entry === undefined) {
      values[name] = spec.default;
      continue;
    }
    try {
      values[name] = spec.parse(entry.value);
    } catch (error) {
      const shown = spec.secret ? '' : ` (${JSON.stringify(entry.value)})`;
      throw new ConfigError(
        `invalid value for option [${group.name}] ${name}${shown} from ${entry.source}: ${(error as Error).message}`,
      );
    }
  }
  return values as GroupValues<G>;
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
