/**
 * DHCP providers: how a booting machine learns its boot file. `none` leaves it to a DHCP server
 * Galvanic does not manage. `dnsmasq` writes, for a dnsmasq started with `--dhcp-hostsdir` and
 * `--dhcp-optsdir` (it rereads both on change), one host entry per MAC tagging the machine with
 * its node, and the node's boot options: plain PXE firmware chainloads iPXE over TFTP, iPXE gets
 * the `boot.ipxe` URL. dnsmasq keeps what it read from a file that is later deleted, so clean-up
 * rewrites each MAC's entry to `ignore` (as Ironic does) instead of removing it: the machine is
 * then no longer answered, until a later prepare writes its entry again.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidParameterValue, type DriverEnvironment } from '@galvanic/driver-sdk';
import { writeWhole } from '../http-boot/node-files';
import { dhcpOptions, dnsmasqOptions } from './options';

export interface DhcpBootRequest {
  readonly nodeUuid: string;
  readonly macs: readonly string[];
  /** The iPXE entry script, e.g. `http://192.0.2.10:8080/boot.ipxe`. */
  readonly bootScriptUrl: string;
}

export interface DhcpProvider {
  update(request: DhcpBootRequest): Promise<void>;
  clean(nodeUuid: string, macs: readonly string[]): Promise<void>;
}

const NONE: DhcpProvider = {
  update: async () => {},
  clean: async () => {},
};

/** The file name of a MAC's host entry: the MAC in lower case, colons kept (dnsmasq ignores the name). */
export function hostEntryName(mac: string): string {
  return mac.toLowerCase();
}

export function renderHostEntry(mac: string, nodeUuid: string): string {
  return `${mac.toLowerCase()},set:${nodeUuid},set:ironic\n`;
}

/** The entry clean-up leaves: dnsmasq answers no DHCP request from this MAC. */
export function renderIgnoredHostEntry(mac: string): string {
  return `${mac.toLowerCase()},ignore\n`;
}

export function renderNodeOptions(nodeUuid: string, bootScriptUrl: string): string {
  return [
    `tag:${nodeUuid},tag:!ipxe,option:bootfile-name,undionly.kpxe`,
    `tag:${nodeUuid},tag:!ipxe6,option6:bootfile-url,${bootScriptUrl}`,
    `tag:${nodeUuid},tag:ipxe,option:bootfile-name,${bootScriptUrl}`,
    '',
  ].join('\n');
}

function dnsmasq(env: DriverEnvironment): DhcpProvider {
  const dirs = () => env.config.get(dnsmasqOptions);
  return {
    async update({ nodeUuid, macs, bootScriptUrl }) {
      const { dhcp_hostsdir: hosts, dhcp_optsdir: opts } = dirs();
      await writeWhole(join(opts, nodeUuid), renderNodeOptions(nodeUuid, bootScriptUrl));
      for (const mac of macs) {
        await writeWhole(join(hosts, hostEntryName(mac)), renderHostEntry(mac, nodeUuid));
      }
    },
    async clean(nodeUuid, macs) {
      const { dhcp_hostsdir: hosts, dhcp_optsdir: opts } = dirs();
      // Untagged, the machine's requests no longer match the removed options either.
      await Promise.all(
        macs.map((mac) => writeWhole(join(hosts, hostEntryName(mac)), renderIgnoredHostEntry(mac))),
      );
      await rm(join(opts, nodeUuid), { force: true });
    },
  };
}

/** The provider `[dhcp] dhcp_provider` names. */
export function dhcpProvider(env: DriverEnvironment): DhcpProvider {
  const name = env.config.get(dhcpOptions).dhcp_provider;
  switch (name) {
    case 'none':
      return NONE;
    case 'dnsmasq':
      return dnsmasq(env);
    default:
      throw new InvalidParameterValue(
        `[dhcp] dhcp_provider ${name} is not supported; use 'none' or 'dnsmasq'`,
      );
  }
}
