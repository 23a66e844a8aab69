import { describe, expect, it } from 'vitest';
import { MASK, redactSecrets } from '../src/redact';

describe('redactSecrets', () => {
  it('masks secret-named fields at any depth, in objects and arrays', () => {
    const value = {
      ipmi_address: '10.0.0.1',
      ipmi_password: 'hunter2',
      nested: { deeper: [{ auth_token: 't', user: 'u' }], redfish_username: 'admin' },
      empty_password: null,
    };
    expect(redactSecrets(value)).toEqual({
      ipmi_address: '10.0.0.1',
      ipmi_password: MASK,
      nested: { deeper: [{ auth_token: MASK, user: 'u' }], redfish_username: 'admin' },
      empty_password: null,
    });
  });

  it('never changes its argument, and returns what holds no secret as it is', () => {
    const clean = { a: 1, b: { c: [1, 2, { d: 'x' }] } };
    expect(redactSecrets(clean)).toBe(clean);
    const value = { keep: { a: 1 }, hide: { password: 'p' } };
    const redacted = redactSecrets(value) as typeof value;
    expect(value.hide.password).toBe('p');
    expect(redacted.hide.password).toBe(MASK);
    expect(redacted.keep).toBe(value.keep);
  });

  it('keeps a stored __proto__ key as data, masked when its contents are secret', () => {
    const value = JSON.parse('{"__proto__": {"password": "p"}, "x": 1}') as Record<string, unknown>;
    const redacted = redactSecrets(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(redacted, '__proto__')?.value).toEqual({
      password: MASK,
    });
  });

  it('masks whatever lies deeper than it looks', () => {
    let deep: Record<string, unknown> = { password: 'p' };
    for (let i = 0; i < 40; i += 1) deep = { inner: deep };
    expect(JSON.stringify(redactSecrets(deep))).not.toContain('"p"');
  });
});
