import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkForUnknownOptions,
  ConfigError,
  coreOptionGroups,
  maskUrlPassword,
  readSources,
  resolveCoreConfig,
} from '../src';

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'galvanic-config-')), name);
  writeFileSync(path, text);
  return path;
}

describe('configuration', () => {
  it('uses Ironic defaults when nothing is given', () => {
    const config = resolveCoreConfig(readSources({ env: {} }));
    expect(config.api.port).toBe(6385);
    expect(config.conductor.heartbeat_interval).toBe(10);
    expect(config.conductor.heartbeat_timeout).toBe(60);
    expect(config.DEFAULT.enabled_hardware_types).toEqual([
      'ipmi',
      'redfish',
      'fake-hardware',
      'manual-management',
    ]);
    expect(config.DEFAULT.enabled_power_interfaces).toBeUndefined();
    expect(config.DEFAULT.default_power_interface).toBeUndefined();
  });

  it('reads an Ironic-style INI file with sections and lists', () => {
    const file = tempFile(
      'galvanic.conf',
      '[DEFAULT]\nhost = c1\nenabled_hardware_types = fake-hardware, ipmi\n[conductor]\nheartbeat_interval = 2\n',
    );
    const config = resolveCoreConfig(readSources({ file, env: {} }));
    expect(config.DEFAULT.host).toBe('c1');
    expect(config.DEFAULT.enabled_hardware_types).toEqual(['fake-hardware', 'ipmi']);
    expect(config.conductor.heartbeat_interval).toBe(2);
  });

  it('reads YAML and lets the environment override it', () => {
    const file = tempFile('galvanic.yaml', 'DEFAULT:\n  host: from-file\napi:\n  port: 7000\n');
    const config = resolveCoreConfig(
      readSources({
        file,
        env: {
          GALVANIC_DEFAULT__HOST: 'c2',
          GALVANIC_CONDUCTOR__HEARTBEAT_TIMEOUT: '5',
          DATABASE_URL: 'postgres://u:p@db/x',
          AMQP_URL: 'amqp://a:b@mq/',
        },
      }),
    );
    expect(config.DEFAULT.host).toBe('c2');
    expect(config.api.port).toBe(7000);
    expect(config.conductor.heartbeat_timeout).toBe(5);
    expect(config.database.connection).toBe('postgres://u:p@db/x');
    expect(config.DEFAULT.transport_url).toBe('amqp://a:b@mq/');
  });

  it('names the bad option and its source', () => {
    const raw = readSources({ env: { GALVANIC_API__PORT: 'eighty' } });
    expect(() => resolveCoreConfig(raw)).toThrow(ConfigError);
    expect(() => resolveCoreConfig(raw)).toThrow(/\[api\] port .*GALVANIC_API__PORT.*integer/);
  });

  it('checks bounds', () => {
    const raw = readSources({ env: { GALVANIC_API__PORT: '70000' } });
    expect(() => resolveCoreConfig(raw)).toThrow(/\[api\] port.*at most 65535/);
  });

  it('never shows a secret value in an error', () => {
    const raw = readSources({ env: { GALVANIC_DATABASE__CONNECTION: '' } });
    expect(() => resolveCoreConfig(raw)).not.toThrow();
    const file = tempFile('galvanic.yaml', 'DEFAULT:\n  transport_url: [1, 2]\n');
    expect(() => resolveCoreConfig(readSources({ file, env: {} }))).toThrow(
      /^invalid value for option \[DEFAULT\] transport_url from /,
    );
  });

  it('refuses unknown options and sections, naming them', () => {
    const typo = readSources({ env: { GALVANIC_CONDUCTOR__HEARTBEAT_INTERVALL: '3' } });
    expect(() => checkForUnknownOptions(typo, coreOptionGroups)).toThrow(
      /unknown option \[conductor\] heartbeat_intervall from GALVANIC_CONDUCTOR__HEARTBEAT_INTERVALL/,
    );
    const section = readSources({ env: { GALVANIC_NOPE__X: '3' } });
    expect(() => checkForUnknownOptions(section, coreOptionGroups)).toThrow(
      /unknown config section \[nope\]/,
    );
  });

  it('refuses a missing config file', () => {
    expect(() => readSources({ file: '/nonexistent/galvanic.yaml', env: {} })).toThrow(
      /does not exist/,
    );
  });

  it('masks passwords in URLs', () => {
    expect(maskUrlPassword('amqp://guest:secret@127.0.0.1:5672/')).toBe(
      'amqp://guest:***@127.0.0.1:5672/',
    );
  });
});
