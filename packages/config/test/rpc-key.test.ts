import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, readRpcMessageKey } from '../src';

const dir = mkdtempSync(join(tmpdir(), 'galvanic-rpc-key-'));
const KEY = 'k'.repeat(31) + 'Z';

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = (extra: Partial<Parameters<typeof readRpcMessageKey>[0]>) => ({
  message_key: undefined,
  message_key_file: undefined,
  insecure_unauthenticated: false,
  ...extra,
});

describe('readRpcMessageKey', () => {
  it('reads the key from the option, or from the file with surrounding whitespace dropped', () => {
    expect(readRpcMessageKey(options({ message_key: KEY }))?.toString()).toBe(KEY);
    const file = join(dir, 'key');
    writeFileSync(file, `\n${KEY}\n`);
    expect(readRpcMessageKey(options({ message_key_file: file }))?.toString()).toBe(KEY);
  });

  it('refuses to go without a key unless running insecure is asked for', () => {
    expect(() => readRpcMessageKey(options({}))).toThrow(ConfigError);
    expect(() => readRpcMessageKey(options({}))).toThrow(/insecure_unauthenticated/);
    expect(readRpcMessageKey(options({ insecure_unauthenticated: true }))).toBeUndefined();
  });

  it('refuses a short key, both sources at once, or a missing file, never showing a key', () => {
    const attempts = [
      options({ message_key: 'short-secret-value' }),
      options({ message_key: KEY, message_key_file: join(dir, 'key') }),
      options({ message_key_file: join(dir, 'missing') }),
    ];
    for (const attempt of attempts) {
      let message = '';
      try {
        readRpcMessageKey(attempt);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain('short-secret-value');
      expect(message).not.toContain(KEY);
    }
  });
});
