import type { PropertyTable } from '@galvanic/driver-sdk';

/**
 * The `driver_info` fields of the ipmitool interfaces, with the names and meaning of Ironic's, so
 * `baremetal driver property list ipmi` reads the same.
 */
export const IPMI_PROPERTIES: PropertyTable = {
  ipmi_address: { description: 'IP address or host name of the BMC.', required: true },
  ipmi_password: { description: 'password of the IPMI user.', required: false },
  ipmi_kg_key: {
    description: 'Kg key (BMC key) for IPMIv2 authentication, as text; or give ipmi_hex_kg_key.',
    required: false,
  },
  ipmi_hex_kg_key: {
    description: 'Kg key (BMC key) for IPMIv2 authentication, as hexadecimal digits.',
    required: false,
  },
  ipmi_port: { description: 'remote IPMI RMCP port; default is 623.', required: false },
  ipmi_priv_level: {
    description:
      'privilege level of the session; default is ADMINISTRATOR. One of ADMINISTRATOR, CALLBACK, OPERATOR, USER.',
    required: false,
  },
  ipmi_username: {
    description: 'user name; default is the NULL (anonymous) user.',
    required: false,
  },
  ipmi_bridging: {
    description:
      'bridging type; default is "no". One of "single", "dual", "no" (this driver cannot bridge: only "no" passes validation).',
    required: false,
  },
  ipmi_transit_channel: {
    description:
      'transit channel for bridged requests. Required only if ipmi_bridging is set to "dual".',
  },
  ipmi_transit_address: {
    description:
      'transit address for bridged requests. Required only if ipmi_bridging is set to "dual".',
  },
  ipmi_target_channel: {
    description:
      'destination channel for bridged requests. Required only if ipmi_bridging is set to "single" or "dual".',
  },
  ipmi_target_address: {
    description:
      'destination address for bridged requests. Required only if ipmi_bridging is set to "single" or "dual".',
  },
  ipmi_local_address: {
    description:
      'local IPMB address for bridged requests. Used only if ipmi_bridging is set to "single" or "dual".',
    required: false,
  },
  ipmi_protocol_version: {
    description: 'IPMI protocol version; default is "2.0". One of "1.5", "2.0".',
    required: false,
  },
  ipmi_force_boot_device: {
    description:
      'Whether to set the boot device on the BMC again every time the node is powered on, for BMCs that do not remember it across power cycles; default is False.',
    required: false,
  },
  ipmi_disable_boot_timeout: {
    description:
      'Whether to send the BMC the raw command that disables its 60-second boot flag timeout before setting a boot device. Setting it to False skips that command for this node; when it is not set, [ipmi]disable_boot_timeout decides.',
    required: false,
  },
  ipmi_cipher_suite: {
    description:
      'Number of the IPMIv2 cipher suite to use; default is 3 (AES-128 with SHA1). 17 (AES-128 with SHA256) is preferred where the BMC supports it; 0 (no authentication) is refused unless [ipmi]allow_cipher_suite_zero is set.',
  },
};
