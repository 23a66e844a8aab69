import { defineOptionGroup, opt } from '@galvanic/driver-sdk';

/** `[dhcp]`, as Ironic's. */
export const dhcpOptions = defineOptionGroup('dhcp', {
  dhcp_provider: opt.string(
    'none',
    "Who tells booting machines where their boot file is: 'none' (an outside DHCP server, or QEMU's, already does) or 'dnsmasq' (host entries written for a dnsmasq that reads [dnsmasq] dhcp_hostsdir and dhcp_optsdir).",
  ),
});

/** `[dnsmasq]`, as Ironic's dnsmasq provider names them. */
export const dnsmasqOptions = defineOptionGroup('dnsmasq', {
  dhcp_hostsdir: opt.string(
    '/var/lib/galvanic/dhcp-hostsdir',
    "Directory of per-MAC host entries; dnsmasq's --dhcp-hostsdir.",
  ),
  dhcp_optsdir: opt.string(
    '/var/lib/galvanic/dhcp-optsdir',
    "Directory of per-node DHCP options (boot file names); dnsmasq's --dhcp-optsdir.",
  ),
});
