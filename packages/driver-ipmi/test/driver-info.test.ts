import { describe, expect, it } from 'vitest';
import { InvalidParameterValue, MissingParameterValue } from '@galvanic/driver-sdk';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import { IpmiManagement, IpmiPower, IpmiVendor } from '../src';

const base = { ipmi_address: '10.0.0.42', ipmi_username: 'admin', ipmi_password: 'secret' };
const taskWith = (extra: Record<string, unknown>) =>
  makeTask({ driverName: 'ipmi', node: { driverInfo: { ...base, ...extra } } });

describe('validate: driver_info checks', () => {
  const power = buildInterface(IpmiPower);
  const check = (extra: Record<string, unknown>) => () => power.validate(taskWith(extra));

  it("accepts Ironic's sample node and the CLI's string forms", () => {
    expect(check({ ipmi_port: 9001 })).not.toThrow();
    expect(
      check({
        ipmi_port: '623',
        ipmi_priv_level: 'OPERATOR',
        ipmi_protocol_version: '2.0',
        ipmi_cipher_suite: '17',
        ipmi_hex_kg_key: '0123456789abcdef0123456789abcdef01234567',
        ipmi_bridging: 'no',
        ipmi_force_boot_device: 'True',
        ipmi_disable_boot_timeout: 'false',
      }),
    ).not.toThrow();
    expect(check({ ipmi_username: undefined, ipmi_password: undefined })).not.toThrow();
    expect(
      check({ ipmi_protocol_version: '1.5', ipmi_password: 'sixteen-bytes-ok' }),
    ).not.toThrow();
  });

  it('names a missing ipmi_address', () => {
    for (const address of [undefined, '']) {
      expect(check({ ipmi_address: address })).toThrow(MissingParameterValue);
      expect(check({ ipmi_address: address })).toThrow(
        "Missing the following IPMI credentials in node's driver_info: ipmi_address.",
      );
    }
  });

  it('refuses a malformed address', () => {
    expect(check({ ipmi_address: 42 })).toThrow(
      'ipmi_address must be an IP address or host name, got 42.',
    );
    expect(check({ ipmi_address: 'bmc 1' })).toThrow(InvalidParameterValue);
  });

  it('refuses a bad port', () => {
    for (const port of ['abc', 0, 70000, 6.5, '-1']) {
      expect(check({ ipmi_port: port })).toThrow(InvalidParameterValue);
    }
    expect(check({ ipmi_port: 'abc' })).toThrow(
      'ipmi_port must be an integer from 1 to 65535, got "abc".',
    );
  });

  it('refuses a bad privilege level, naming the valid ones', () => {
    expect(check({ ipmi_priv_level: 'ROOT' })).toThrow(
      'Invalid privilege level value "ROOT": ipmi_priv_level must be one of ADMINISTRATOR, CALLBACK, OPERATOR, USER.',
    );
    expect(check({ ipmi_priv_level: 'user' })).not.toThrow();
  });

  it('refuses a bad protocol version', () => {
    expect(check({ ipmi_protocol_version: '3.0' })).toThrow(
      'Invalid IPMI protocol version value "3.0": ipmi_protocol_version must be one of "1.5", "2.0".',
    );
  });

  it('refuses cipher suite 0 unless [ipmi] allow_cipher_suite_zero is set', () => {
    expect(check({ ipmi_cipher_suite: 0 })).toThrow(InvalidParameterValue);
    expect(check({ ipmi_cipher_suite: '0' })).toThrow(
      'ipmi_cipher_suite 0 performs no authentication (the BMC accepts any password); it is refused unless the conductor sets [ipmi]allow_cipher_suite_zero.',
    );
    const permissive = buildInterface(IpmiPower, { ipmi: { allow_cipher_suite_zero: true } });
    expect(() => permissive.validate(taskWith({ ipmi_cipher_suite: 0 }))).not.toThrow();
  });

  it('refuses unknown cipher suites and suites with IPMI 1.5', () => {
    expect(check({ ipmi_cipher_suite: 5 })).toThrow(
      'ipmi_cipher_suite 5 is not supported; use one of 1, 2, 3, 6, 7, 8, 15, 16, 17 (3 or 17 recommended).',
    );
    expect(check({ ipmi_cipher_suite: 'three' })).toThrow(InvalidParameterValue);
    expect(check({ ipmi_cipher_suite: 3, ipmi_protocol_version: '1.5' })).toThrow(
      'ipmi_cipher_suite applies to IPMI 2.0 only',
    );
  });

  it('checks bridging fields, then refuses bridging, which this driver cannot do', () => {
    expect(check({ ipmi_bridging: 'triple' })).toThrow(
      'ipmi_bridging must be one of "single", "dual", "no", got "triple".',
    );
    expect(check({ ipmi_bridging: 'single' })).toThrow(MissingParameterValue);
    expect(
      check({ ipmi_bridging: 'dual', ipmi_target_channel: 7, ipmi_target_address: '0x72' }),
    ).toThrow(
      'ipmi_bridging "dual" needs the following fields in driver_info: ipmi_transit_channel, ipmi_transit_address.',
    );
    expect(
      check({ ipmi_bridging: 'single', ipmi_target_channel: 'x', ipmi_target_address: '0x72' }),
    ).toThrow('ipmi_target_channel must be an integer from 0 to 15, got "x".');
    const single = { ipmi_bridging: 'single', ipmi_target_channel: 7, ipmi_target_address: '0x72' };
    expect(check(single)).toThrow(InvalidParameterValue);
    expect(check(single)).toThrow(
      'ipmi_bridging "single" is not supported by the ipmitool interfaces of this conductor: they cannot send bridged IPMB requests.',
    );
    expect(
      check({
        ...single,
        ipmi_bridging: 'dual',
        ipmi_transit_channel: 0,
        ipmi_transit_address: 0x82,
      }),
    ).toThrow('ipmi_bridging "dual" is not supported');
  });

  it('checks Kg without quoting it, as text or as hexadecimal digits', () => {
    const attempt = check({ ipmi_hex_kg_key: 'not-hex-secret' });
    expect(attempt).toThrow(
      'ipmi_hex_kg_key must be an even number of hexadecimal digits, at most 40.',
    );
    expect(attempt).not.toThrow('not-hex-secret');
    expect(check({ ipmi_hex_kg_key: 'abc' })).toThrow(InvalidParameterValue);
    expect(check({ ipmi_hex_kg_key: 'ab'.repeat(21) })).toThrow(InvalidParameterValue);
    expect(check({ ipmi_kg_key: 'secret' })).not.toThrow();
    const both = check({ ipmi_kg_key: 'secret', ipmi_hex_kg_key: 'abcd' });
    expect(both).toThrow('Give the Kg key once: ipmi_kg_key or ipmi_hex_kg_key, not both.');
    const long = check({ ipmi_kg_key: 'a-kg-key-longer-than-20-bytes' });
    expect(long).toThrow('ipmi_kg_key must be text of at most 20 bytes.');
    expect(long).not.toThrow('longer-than');
  });

  it('checks credential lengths without quoting them', () => {
    expect(check({ ipmi_username: 'a-user-name-of-17' })).toThrow(
      'ipmi_username is longer than the 16 bytes IPMI allows.',
    );
    const long = check({ ipmi_password: 'twenty-one-bytes-pwd!' });
    expect(long).toThrow('ipmi_password is longer than the 20 bytes IPMI 2.0 allows.');
    expect(long).not.toThrow('twenty-one');
    expect(check({ ipmi_protocol_version: '1.5', ipmi_password: 'seventeen-bytes!!' })).toThrow(
      'ipmi_password is longer than the 16 bytes IPMI 1.5 allows.',
    );
  });

  it('refuses non-boolean flags', () => {
    expect(check({ ipmi_force_boot_device: 'maybe' })).toThrow(
      'ipmi_force_boot_device must be a boolean, got "maybe".',
    );
    expect(check({ ipmi_disable_boot_timeout: 2 })).toThrow(InvalidParameterValue);
  });

  it('is the same check for management and vendor', () => {
    const task = taskWith({ ipmi_port: 'abc' });
    expect(() => buildInterface(IpmiManagement).validate(task)).toThrow('ipmi_port must be');
    expect(() => buildInterface(IpmiVendor).validate(task)).toThrow('ipmi_port must be');
  });
});

describe('validateCall: vendor method arguments', () => {
  const vendor = buildInterface(IpmiVendor);
  const task = taskWith({});

  it('needs raw_bytes for send_raw, as netfn, command and data bytes', () => {
    expect(() => vendor.validateCall(task, 'send_raw', {})).toThrow(MissingParameterValue);
    expect(() => vendor.validateCall(task, 'send_raw', {})).toThrow(
      "Parameter 'raw_bytes' not passed to method 'send_raw'.",
    );
    expect(() => vendor.validateCall(task, 'send_raw', { raw_bytes: '0x06' })).toThrow(
      "Parameter 'raw_bytes' needs at least a network function and a command, e.g. '0x06 0x01'.",
    );
    expect(() => vendor.validateCall(task, 'send_raw', { raw_bytes: '0x06 0xzz' })).toThrow(
      `Parameter 'raw_bytes' has "0xzz", which is not a byte: write each byte as 0x00 to 0xff or 0 to 255.`,
    );
    expect(() => vendor.validateCall(task, 'send_raw', { raw_bytes: '0x06 0x100' })).toThrow(
      InvalidParameterValue,
    );
    expect(() => vendor.validateCall(task, 'send_raw', { raw_bytes: '0x07 0x01' })).toThrow(
      "Parameter 'raw_bytes' starts with network function 0x07: a request's network function is even, 0x00 to 0x3e.",
    );
    expect(() => vendor.validateCall(task, 'send_raw', { raw_bytes: 6 })).toThrow(
      InvalidParameterValue,
    );
    expect(() =>
      vendor.validateCall(task, 'send_raw', { raw_bytes: ' 0x00 0x08 0x03 0x08 ' }),
    ).not.toThrow();
    expect(() => vendor.validateCall(task, 'send_raw', { raw_bytes: '6 1' })).not.toThrow();
  });

  it('needs a boolean warm for bmc_reset', () => {
    expect(() => vendor.validateCall(task, 'bmc_reset', {})).toThrow(
      "Parameter 'warm' not passed to method 'bmc_reset'.",
    );
    expect(() => vendor.validateCall(task, 'bmc_reset', { warm: 'tepid' })).toThrow(
      `Parameter 'warm' must be a boolean (true for a warm reset, false for a cold reset), got "tepid".`,
    );
    for (const warm of [true, false, 'true', 'False', '0', 'yes']) {
      expect(() => vendor.validateCall(task, 'bmc_reset', { warm })).not.toThrow();
    }
  });

  it("checks the node's driver_info too", () => {
    const bad = taskWith({ ipmi_address: '' });
    expect(() => vendor.validateCall(bad, 'bmc_reset', { warm: true })).toThrow(
      MissingParameterValue,
    );
  });
});
