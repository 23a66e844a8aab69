import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseIni } from 'ini';
import { parse as parseYaml } from 'yaml';
import type { RawConfig } from '@galvanic/driver-sdk';

export type { RawConfig };

function put(
  raw: RawConfig,
  section: string,
  option: string,
  value: unknown,
  source: string,
): void {
  const key = section.toLowerCase();
  let options = raw.get(key);
  if (!options) {
    options = new Map();
    raw.set(key, options);
  }
  options.set(option.toLowerCase(), { value, source });
}

/**
 * Reads a config file: YAML (`galvanic.yaml`, sections as top-level maps) or Ironic-style INI
 * (`[DEFAULT]`, `[conductor]`, ...). Both name sections and options exactly as Ironic does.
 */
export function readConfigFile(path: string, into: RawConfig = new Map()): RawConfig {
  const text = readFileSync(path, 'utf8');
  const isYaml = ['.yaml', '.yml', '.json'].includes(extname(path).toLowerCase());
  const parsed: unknown = isYaml ? parseYaml(text) : parseIni(text);
  if (parsed === null || parsed === undefined) return into;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${path}: expected sections of options at the top level`);
  }
  for (const [section, options] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new Error(`${path}: [${section}] must hold options, got ${JSON.stringify(options)}`);
    }
    for (const [option, value] of Object.entries(options as Record<string, unknown>)) {
      put(into, section, option, value, path);
    }
  }
  return into;
}

const ENV_OPTION = /^GALVANIC_([A-Za-z0-9_]+?)__([A-Za-z0-9_]+)$/;

/**
 * Reads `GALVANIC_<SECTION>__<OPTION>` variables, as oslo.config reads `OS_<SECTION>__<OPTION>`,
 * plus the shorthands `DATABASE_URL` and `AMQP_URL`.
 */
export function readEnvironment(env: NodeJS.ProcessEnv, into: RawConfig = new Map()): RawConfig {
  if (env.DATABASE_URL) put(into, 'database', 'connection', env.DATABASE_URL, 'DATABASE_URL');
  if (env.AMQP_URL) put(into, 'DEFAULT', 'transport_url', env.AMQP_URL, 'AMQP_URL');
  for (const [name, value] of Object.entries(env)) {
    const match = ENV_OPTION.exec(name);
    if (!match || value === undefined) continue;
    put(into, match[1]!, match[2]!, value, name);
  }
  return into;
}
