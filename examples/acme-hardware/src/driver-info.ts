import {
  InvalidParameterValue,
  missingRequiredProperties,
  MissingParameterValue,
  type NodeView,
  type PropertyTable,
} from '@galvanic/driver-sdk';

/** The `driver_info` fields every Acme interface reads. */
export const ACME_PROPERTIES: PropertyTable = {
  acme_address: {
    description: 'URL of the Acme chassis controller, e.g. "http://10.0.0.5:8686".',
    required: true,
  },
  acme_chassis_id: {
    description: 'The chassis this node is, as the controller names it.',
    required: true,
  },
  acme_password: {
    description: 'Password of the controller, when it asks for one.',
    required: false,
  },
};

export interface AcmeDriverInfo {
  address: URL;
  chassisId: string;
  password: string | undefined;
}

/** Reads and checks the node's Acme fields; throws the errors `validate` reports. */
export function parseDriverInfo(node: NodeView): AcmeDriverInfo {
  const info = node.driverInfo;
  const missing = missingRequiredProperties(ACME_PROPERTIES, info);
  if (missing.length > 0) {
    throw new MissingParameterValue(
      `Node ${node.uuid} is missing the following Acme parameters in driver_info: ${missing.join(', ')}`,
    );
  }
  const { acme_address, acme_chassis_id, acme_password } = info;
  if (typeof acme_address !== 'string' || !URL.canParse(acme_address)) {
    throw new InvalidParameterValue(
      `acme_address must be a URL, got ${JSON.stringify(acme_address)}`,
    );
  }
  const address = new URL(acme_address);
  if (address.protocol !== 'http:' && address.protocol !== 'https:') {
    throw new InvalidParameterValue(`acme_address must be an http or https URL: ${acme_address}`);
  }
  if (typeof acme_chassis_id !== 'string') {
    throw new InvalidParameterValue('acme_chassis_id must be a string');
  }
  if (acme_password !== undefined && typeof acme_password !== 'string') {
    throw new InvalidParameterValue('acme_password must be a string');
  }
  return { address, chassisId: acme_chassis_id, password: acme_password };
}
