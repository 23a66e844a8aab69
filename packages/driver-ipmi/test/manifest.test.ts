import { describe, expect, it } from 'vitest';
import { describeProperty, passthruMethodsOf, type PassthruMethodInfo } from '@galvanic/driver-sdk';
import {
  buildInterface,
  checkDriverPackage,
  supportedInterfacesOf,
} from '@galvanic/driver-sdk/testing';
import { loadSample } from '@galvanic/testing';
import * as exported from '../src';
import { IpmiHardware, IpmiManagement, IpmiPower, IpmiVendor, IPMI_PROPERTIES } from '../src';

describe('the galvanic manifest of @galvanic/driver-ipmi', () => {
  it('passes the checks the conductor makes when it loads the package', () => {
    expect(checkDriverPackage(new URL('../package.json', import.meta.url), exported)).toEqual([]);
  });
});

describe('IpmiHardware', () => {
  it("supports Ironic's interfaces of the ipmi type that Galvanic has", () => {
    const type = new IpmiHardware();
    expect(supportedInterfacesOf(type)).toEqual({
      bios: ['no-bios'],
      boot: ['pxe', 'ipxe'],
      console: ['no-console'],
      deploy: ['direct', 'ramdisk'],
      firmware: ['no-firmware'],
      inspect: ['no-inspect', 'agent'],
      management: ['ipmitool', 'noop'],
      network: ['noop'],
      power: ['ipmitool'],
      raid: ['no-raid'],
      rescue: ['no-rescue', 'agent'],
      storage: ['noop'],
      vendor: ['ipmitool', 'no-vendor'],
    });
  });
});

describe("the driver properties, against Ironic's GET /v1/drivers/ipmi/properties", () => {
  const ironic = loadSample('18-get-driver-ipmi-properties.json').response.body as Record<
    string,
    string
  >;
  const ironicIpmi = Object.fromEntries(
    Object.entries(ironic).filter(([key]) => key.startsWith('ipmi_')),
  );
  const ours = Object.fromEntries(
    Object.entries(IPMI_PROPERTIES).map(([key, spec]) => [key, describeProperty(spec)]),
  );

  it('has the ipmi_* fields of Ironic, and ipmi_kg_key for a Kg key given as text', () => {
    expect(Object.keys(ours).sort()).toEqual([...Object.keys(ironicIpmi), 'ipmi_kg_key'].sort());
  });

  it('ends each description as Ironic does: " Required.", " Optional." or neither', () => {
    const ending = (text: string) =>
      text.endsWith(' Required.')
        ? 'required'
        : text.endsWith(' Optional.')
          ? 'optional'
          : 'neither';
    for (const [key, text] of Object.entries(ironicIpmi)) {
      expect(ending(ours[key] ?? ''), key).toBe(ending(text));
    }
    expect(ours.ipmi_address).toBe('IP address or host name of the BMC. Required.');
  });

  it('is what every ipmitool interface reports', () => {
    expect(buildInterface(IpmiPower).getProperties()).toBe(IPMI_PROPERTIES);
    expect(buildInterface(IpmiManagement).getProperties()).toBe(IPMI_PROPERTIES);
    expect(buildInterface(IpmiVendor).getProperties()).toBe(IPMI_PROPERTIES);
  });
});

describe("the vendor methods, against Ironic's listings", () => {
  const vendor = buildInterface(IpmiVendor);
  const methods = passthruMethodsOf(vendor);

  it('lists send_raw and bmc_reset as Ironic does (GET /v1/nodes/{node}/vendor_passthru/methods)', () => {
    const listed = (info: PassthruMethodInfo) => ({
      http_methods: info.httpMethods,
      async: info.async,
      description: info.description,
      attach: info.attach,
      require_exclusive_lock: info.requireExclusiveLock,
    });
    const node = Object.fromEntries(
      [...methods].filter(([, info]) => info.scope === 'node').map(([n, i]) => [n, listed(i)]),
    );
    expect(node).toEqual(loadSample('87-get-node-ipmi-vendor-methods.json').response.body);
  });

  it('has no driver-level methods (GET /v1/drivers/ipmi/vendor_passthru/methods is {})', () => {
    const driver = [...methods.values()].filter((info) => info.scope === 'driver');
    expect(driver).toEqual([]);
    expect(loadSample('22-get-driver-ipmi-vendor-methods.json').response.body).toEqual({});
  });
});
