import type { PropertyTable } from '@galvanic/driver-sdk';

/**
 * The `driver_info` fields every redfish interface reads, with Ironic's names and meaning, so
 * `baremetal driver property list redfish` reads as Ironic's does.
 */
export const REDFISH_PROPERTIES: PropertyTable = {
  redfish_address: {
    description:
      'The URL of the Redfish service of the BMC, with at least its host (and port): for example https://bmc.example.com. Without a scheme, https is assumed. A path, if given, is where the service root is looked for.',
    required: true,
  },
  redfish_system_id: {
    description:
      'The canonical path of the ComputerSystem resource this node is, on the same service as redfish_address: for example /redfish/v1/Systems/1. Needed only when the BMC manages more than one system; otherwise its only system is used.',
  },
  redfish_username: {
    description:
      'User account with administrator or server-profile rights on the BMC. Not mandatory, but strongly advised.',
    required: false,
  },
  redfish_password: {
    description: 'Password of that account. Not mandatory, but strongly advised.',
    required: false,
  },
  redfish_verify_ca: {
    description:
      'A Boolean, or the path of a file of trusted CA certificates (PEM). True verifies the BMC certificate against the system CAs; False skips verification; a path verifies against the certificates in that file. Defaults to True.',
    required: false,
  },
  redfish_auth_type: {
    description:
      'How to authenticate to the Redfish service: "basic", "session" or "auto". When not set, [redfish]auth_type decides.',
  },
};

/** The fields the redfish-virtual-media boot interface adds. */
export const VIRTUAL_MEDIA_PROPERTIES: PropertyTable = {
  deploy_iso: {
    description:
      'URL of the deployment ISO the node boots, over virtual media, to be deployed, cleaned or inspected. Required to boot the deploy ramdisk (redfish_deploy_iso is read too, as a deprecated name).',
  },
};
