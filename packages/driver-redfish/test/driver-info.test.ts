import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidParameterValue, MissingParameterValue } from '@galvanic/driver-sdk';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import { RedfishManagement, RedfishPower, RedfishVendor } from '../src';

const dir = mkdtempSync(join(tmpdir(), 'redfish-ca-'));
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = {
  redfish_address: 'https://10.0.0.42',
  redfish_system_id: '/redfish/v1/Systems/1',
  redfish_username: 'admin',
  redfish_password: 'top-secret',
};
const taskWith = (extra: Record<string, unknown>) =>
  makeTask({ driverName: 'redfish', node: { driverInfo: { ...base, ...extra } } });
const power = buildInterface(RedfishPower);
const check = (extra: Record<string, unknown>) => () => power.validate(taskWith(extra));

describe('validate: driver_info as Ironic reads it', () => {
  it("accepts Ironic's forms, including the CLI's strings", () => {
    expect(check({})).not.toThrow();
    for (const verify of [true, false, 'true', 'False', 'no', '1', caFile]) {
      expect(check({ redfish_verify_ca: verify })).not.toThrow();
    }
    for (const auth of ['basic', 'session', 'auto']) {
      expect(check({ redfish_auth_type: auth })).not.toThrow();
    }
    expect(check({ redfish_address: '10.0.0.42:8443' })).not.toThrow();
    expect(check({ redfish_address: 'http://bmc.example.com/redfish/v1/' })).not.toThrow();
    expect(check({ redfish_system_id: undefined, redfish_password: undefined })).not.toThrow();
  });

  it('names a missing redfish_address', () => {
    const task = taskWith({ redfish_address: '' });
    expect(() => power.validate(task)).toThrow(MissingParameterValue);
    expect(() => power.validate(task)).toThrow(
      `Missing the following Redfish properties in node ${task.node.uuid} driver_info: ['redfish_address']`,
    );
  });

  it('refuses a malformed address, or one carrying credentials, without quoting them', () => {
    expect(check({ redfish_address: 'bmc 1' })).toThrow(
      'Invalid Redfish address bmc 1 set in driver_info/redfish_address on node',
    );
    expect(check({ redfish_address: 'ftp://bmc' })).toThrow(InvalidParameterValue);
    expect(check({ redfish_address: 42 })).toThrow(InvalidParameterValue);
    const withCredentials = check({ redfish_address: 'https://admin:hunter2@bmc' });
    expect(withCredentials).toThrow(/redfish_username and redfish_password/);
    expect(withCredentials).not.toThrow(/hunter2/);
    expect(check({ redfish_address: 'https://bmc/other/root' })).toThrow(/\/redfish\/v1\//);
  });

  it('refuses a bad redfish_verify_ca, naming the field', () => {
    expect(check({ redfish_verify_ca: 'maybe' })).toThrow(
      'The value should be a Boolean or the path to a file/directory, not "maybe"',
    );
    expect(check({ redfish_verify_ca: 3 })).toThrow(InvalidParameterValue);
    expect(check({ redfish_verify_ca: dir })).toThrow(/one PEM file/);
  });

  it('refuses an unknown redfish_auth_type, and one in [redfish] auth_type', () => {
    expect(check({ redfish_auth_type: 'digest' })).toThrow(
      'set in driver_info/redfish_auth_type on node',
    );
    const odd = buildInterface(RedfishPower, { redfish: { auth_type: 'digest' } });
    expect(() => odd.validate(taskWith({}))).toThrow(/redfish_auth_type/);
    expect(() => odd.validate(taskWith({ redfish_auth_type: 'basic' }))).not.toThrow();
  });

  it('refuses a system id that is not a path, and a password that is not a string, unquoted', () => {
    expect(check({ redfish_system_id: 7 })).toThrow('driver_info/redfish_system_id');
    const bad = check({ redfish_password: { secret: 'x-secret-x' } });
    expect(bad).toThrow('driver_info/redfish_password');
    expect(bad).not.toThrow(/x-secret-x/);
  });

  it('is the same check for management and vendor', () => {
    const task = taskWith({ redfish_auth_type: 'digest' });
    expect(() => buildInterface(RedfishManagement).validate(task)).toThrow(InvalidParameterValue);
    expect(() => buildInterface(RedfishVendor).validate(task)).toThrow(InvalidParameterValue);
  });
});

describe('validateCall: vendor arguments, before anything is sent', () => {
  const vendor = buildInterface(RedfishVendor);
  const task = taskWith({});

  it('eject_vmedia takes an optional boot_device of cd, dvd, usb or floppy', () => {
    expect(() => vendor.validateCall(task, 'eject_vmedia', {})).not.toThrow();
    expect(() => vendor.validateCall(task, 'eject_vmedia', { boot_device: 'cd' })).not.toThrow();
    expect(() => vendor.validateCall(task, 'eject_vmedia', { boot_device: 'tape' })).toThrow(
      'Boot device tape is not a valid value',
    );
  });

  it('create_subscription needs a URI Destination and well-typed optional fields', () => {
    const ok = { Destination: 'https://events.example/hook' };
    expect(() => vendor.validateCall(task, 'create_subscription', ok)).not.toThrow();
    expect(() => vendor.validateCall(task, 'create_subscription', {})).toThrow(
      'Destination undefined is not a valid URI',
    );
    expect(() => vendor.validateCall(task, 'create_subscription', { ...ok, Context: 5 })).toThrow(
      'Context 5 is not a valid string',
    );
    expect(() =>
      vendor.validateCall(task, 'create_subscription', { ...ok, EventTypes: 'Alert' }),
    ).toThrow(/EventTypes/);
    const headers = { ...ok, HttpHeaders: { Authorization: 'hook-secret' } };
    expect(() => vendor.validateCall(task, 'create_subscription', headers)).toThrow(
      'HttpHeaders is not a list of headers',
    );
    expect(() => vendor.validateCall(task, 'create_subscription', headers)).not.toThrow(
      /hook-secret/,
    );
  });

  it('get_subscription and delete_subscription need an id', () => {
    for (const method of ['get_subscription', 'delete_subscription']) {
      expect(() => vendor.validateCall(task, method, {})).toThrow("id can't be None");
      expect(() => vendor.validateCall(task, method, { id: '../x' })).toThrow(
        InvalidParameterValue,
      );
      expect(() => vendor.validateCall(task, method, { id: '1' })).not.toThrow();
    }
  });
});
