import { describe, expect, it } from 'vitest';
import { RedfishError } from '../src/index';
import { parseAddress } from '../src/pool';
import { parseRetryAfter } from '../src/transport';

describe('parseAddress', () => {
  it('assumes HTTPS for a bare host, as Ironic does', () => {
    expect(parseAddress('10.0.0.42').origin).toBe('https://10.0.0.42');
    expect(parseAddress('bmc.example:8443').origin).toBe('https://bmc.example:8443');
    expect(parseAddress('[fd00::42]').origin).toBe('https://[fd00::42]');
    expect(parseAddress('http://10.0.0.42:8000').origin).toBe('http://10.0.0.42:8000');
    expect(parseAddress('https://10.0.0.42/redfish/v1/').origin).toBe('https://10.0.0.42');
  });

  it('refuses credentials in the address without repeating them', () => {
    const err = (() => {
      try {
        parseAddress('https://admin:hunter2-secret@10.0.0.42');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RedfishError);
    expect(String(err)).not.toContain('hunter2-secret');
  });

  it('refuses other schemes and paths', () => {
    expect(() => parseAddress('ftp://10.0.0.42')).toThrow(/scheme/);
    expect(() => parseAddress('https://10.0.0.42/elsewhere')).toThrow(/origin/);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
