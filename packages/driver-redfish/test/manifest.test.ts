import { describe, expect, it } from 'vitest';
import { describeProperty, passthruMethodsOf, stepsOf } from '@galvanic/driver-sdk';
import {
  buildInterface,
  checkDriverPackage,
  supportedInterfacesOf,
} from '@galvanic/driver-sdk/testing';
import * as exported from '../src';
import {
  REDFISH_PROPERTIES,
  RedfishBios,
  RedfishHardware,
  RedfishPower,
  RedfishVendor,
  RedfishVirtualMediaBoot,
} from '../src';

describe('the galvanic manifest of @galvanic/driver-redfish', () => {
  it('passes the checks the conductor makes when it loads the package', () => {
    expect(checkDriverPackage(new URL('../package.json', import.meta.url), exported)).toEqual([]);
  });

  it("names Ironic's interfaces of the redfish type, preferred first (virtual media after pxe, as in Ironic)", () => {
    expect(supportedInterfacesOf(new RedfishHardware())).toEqual({
      bios: ['redfish', 'no-bios'],
      boot: ['pxe', 'ipxe', 'redfish-virtual-media'],
      console: ['no-console'],
      deploy: ['direct', 'ramdisk'],
      firmware: ['redfish', 'no-firmware'],
      inspect: ['redfish', 'no-inspect', 'agent'],
      management: ['redfish', 'noop'],
      network: ['noop'],
      power: ['redfish'],
      raid: ['redfish', 'no-raid'],
      rescue: ['no-rescue', 'agent'],
      storage: ['noop'],
      vendor: ['redfish', 'no-vendor'],
    });
  });
});

describe('driver properties', () => {
  it("are Ironic's redfish_* fields; only redfish_address is required", () => {
    expect(Object.keys(REDFISH_PROPERTIES).sort()).toEqual([
      'redfish_address',
      'redfish_auth_type',
      'redfish_password',
      'redfish_system_id',
      'redfish_username',
      'redfish_verify_ca',
    ]);
    expect(describeProperty(REDFISH_PROPERTIES.redfish_address!)).toMatch(/ Required\.$/);
    expect(describeProperty(REDFISH_PROPERTIES.redfish_password!)).toMatch(/ Optional\.$/);
    expect(buildInterface(RedfishPower).getProperties()).toBe(REDFISH_PROPERTIES);
    expect(Object.keys(buildInterface(RedfishVirtualMediaBoot).getProperties())).toContain(
      'deploy_iso',
    );
  });
});

describe("vendor methods and steps, as Ironic's redfish interfaces declare them", () => {
  it('lists the passthru methods with their HTTP methods, sync/async and lock', () => {
    const methods = Object.fromEntries(
      [...passthruMethodsOf(buildInterface(RedfishVendor))].map(([name, info]) => [
        name,
        [info.httpMethods.join(), info.async, info.requireExclusiveLock, info.scope],
      ]),
    );
    expect(methods).toEqual({
      eject_vmedia: ['POST', true, true, 'node'],
      create_subscription: ['POST', false, true, 'node'],
      get_all_subscriptions: ['GET', false, true, 'node'],
      get_subscription: ['GET', false, true, 'node'],
      delete_subscription: ['DELETE', false, true, 'node'],
    });
  });

  it('declares apply_configuration and factory_reset as manual clean and deploy steps', () => {
    const bios = buildInterface(RedfishBios);
    for (const kind of ['clean', 'deploy'] as const) {
      const steps = stepsOf(bios, kind).map((s) => [s.name, s.priority, s.argsinfo]);
      expect(steps).toEqual([
        [
          'apply_configuration',
          0,
          { settings: { description: 'A list of BIOS settings to be applied', required: true } },
        ],
        ['factory_reset', 0, null],
      ]);
    }
  });
});
