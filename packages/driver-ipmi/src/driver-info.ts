import {
  InvalidParameterValue,
  MissingParameterValue,
  missingRequiredProperties,
  type NodeView,
} from '@galvanic/driver-sdk';
import { CIPHER_SUITES, type PrivilegeLevel } from 'ipmi-ts';
import { IPMI_PROPERTIES } from './properties';
import { booleanField, integerField } from './values';

const PRIV_LEVELS: Readonly<Record<string, PrivilegeLevel>> = {
  ADMINISTRATOR: 'administrator',
  CALLBACK: 'callback',
  OPERATOR: 'operator',
  USER: 'user',
};

/** A node's IPMI settings, checked. */
export interface IpmiDriverInfo {
  readonly address: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly privilege: PrivilegeLevel;
  readonly protocol: '2.0' | '1.5';
  /** Undefined: the client's default (3). */
  readonly cipherSuite: number | undefined;
  readonly kg: Buffer | undefined;
  readonly forceBootDevice: boolean;
  /** Undefined: `[ipmi] disable_boot_timeout` decides. */
  readonly disableBootTimeout: boolean | undefined;
}

export interface DriverInfoPolicy {
  /** `[ipmi] allow_cipher_suite_zero`. */
  readonly allowCipherSuiteZero: boolean;
}

/** Reads and checks the node's IPMI fields; throws the errors `validate` reports. */
export function parseDriverInfo(node: NodeView, policy: DriverInfoPolicy): IpmiDriverInfo {
  const info = node.driverInfo;
  const missing = missingRequiredProperties(IPMI_PROPERTIES, info);
  if (missing.length > 0) {
    throw new MissingParameterValue(
      `Missing the following IPMI credentials in node's driver_info: ${missing.join(', ')}.`,
    );
  }
  const address = info.ipmi_address;
  if (typeof address !== 'string' || address.trim() === '' || /\s/.test(address)) {
    throw new InvalidParameterValue(
      `ipmi_address must be an IP address or host name, got ${JSON.stringify(address)}.`,
    );
  }
  const protocol = protocolVersion(info.ipmi_protocol_version);
  const username = optionalString('ipmi_username', info.ipmi_username) ?? '';
  if (Buffer.byteLength(username) > 16) {
    throw new InvalidParameterValue('ipmi_username is longer than the 16 bytes IPMI allows.');
  }
  const password = optionalString('ipmi_password', info.ipmi_password) ?? '';
  const maxPassword = protocol === '2.0' ? 20 : 16;
  if (Buffer.byteLength(password) > maxPassword) {
    throw new InvalidParameterValue(
      `ipmi_password is longer than the ${maxPassword} bytes IPMI ${protocol} allows.`,
    );
  }
  checkBridging(info);
  return {
    address,
    port: integerField('ipmi_port', info.ipmi_port, 1, 65535) ?? 623,
    username,
    password,
    privilege: privilegeLevel(info.ipmi_priv_level),
    protocol,
    cipherSuite: cipherSuite(info.ipmi_cipher_suite, protocol, policy),
    kg: kgKey(info, protocol),
    forceBootDevice: booleanField('ipmi_force_boot_device', info.ipmi_force_boot_device) ?? false,
    disableBootTimeout: booleanField('ipmi_disable_boot_timeout', info.ipmi_disable_boot_timeout),
  };
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidParameterValue(`${name} must be a string.`);
  return value;
}

function protocolVersion(value: unknown): '2.0' | '1.5' {
  if (value === undefined || value === null || value === '') return '2.0';
  const text = typeof value === 'number' ? value.toFixed(1) : value;
  if (text === '2.0' || text === '1.5') return text;
  throw new InvalidParameterValue(
    `Invalid IPMI protocol version value ${JSON.stringify(value)}: ipmi_protocol_version must be one of "1.5", "2.0".`,
  );
}

function privilegeLevel(value: unknown): PrivilegeLevel {
  if (value === undefined || value === null || value === '') return 'administrator';
  const level = typeof value === 'string' ? PRIV_LEVELS[value.toUpperCase()] : undefined;
  if (!level) {
    throw new InvalidParameterValue(
      `Invalid privilege level value ${JSON.stringify(value)}: ipmi_priv_level must be one of ${Object.keys(PRIV_LEVELS).join(', ')}.`,
    );
  }
  return level;
}

function cipherSuite(
  value: unknown,
  protocol: '2.0' | '1.5',
  policy: DriverInfoPolicy,
): number | undefined {
  const suite = integerField('ipmi_cipher_suite', value, 0, 255);
  if (suite === undefined) return undefined;
  if (protocol !== '2.0') {
    throw new InvalidParameterValue(
      'ipmi_cipher_suite applies to IPMI 2.0 only: remove it or set ipmi_protocol_version to "2.0".',
    );
  }
  if (suite === 0 && !policy.allowCipherSuiteZero) {
    throw new InvalidParameterValue(
      'ipmi_cipher_suite 0 performs no authentication (the BMC accepts any password); it is refused unless the conductor sets [ipmi]allow_cipher_suite_zero.',
    );
  }
  if (!CIPHER_SUITES.has(suite)) {
    const known = [...CIPHER_SUITES.keys()].filter((n) => n !== 0).sort((a, b) => a - b);
    throw new InvalidParameterValue(
      `ipmi_cipher_suite ${suite} is not supported; use one of ${known.join(', ')} (3 or 17 recommended).`,
    );
  }
  return suite;
}

function kgKey(
  info: Readonly<Record<string, unknown>>,
  protocol: '2.0' | '1.5',
): Buffer | undefined {
  // The key as text (ipmitool's -k) or as hexadecimal digits (Ironic's ipmi_hex_kg_key, -y).
  const text = info.ipmi_kg_key;
  if (text !== undefined && text !== null && text !== '') {
    if (
      info.ipmi_hex_kg_key !== undefined &&
      info.ipmi_hex_kg_key !== null &&
      info.ipmi_hex_kg_key !== ''
    ) {
      throw new InvalidParameterValue(
        'Give the Kg key once: ipmi_kg_key or ipmi_hex_kg_key, not both.',
      );
    }
    if (typeof text !== 'string' || Buffer.byteLength(text) > 20) {
      throw new InvalidParameterValue('ipmi_kg_key must be text of at most 20 bytes.');
    }
    if (protocol !== '2.0')
      throw new InvalidParameterValue('ipmi_kg_key applies to IPMI 2.0 only.');
    return Buffer.from(text, 'utf8');
  }
  const hex = info.ipmi_hex_kg_key;
  if (hex === undefined || hex === null || hex === '') return undefined;
  // The key is a secret: the messages below never quote it.
  if (typeof hex !== 'string' || !/^(?:[0-9a-fA-F]{2}){1,20}$/.test(hex)) {
    throw new InvalidParameterValue(
      'ipmi_hex_kg_key must be an even number of hexadecimal digits, at most 40.',
    );
  }
  if (protocol !== '2.0') {
    throw new InvalidParameterValue('ipmi_hex_kg_key applies to IPMI 2.0 only.');
  }
  return Buffer.from(hex, 'hex');
}

const BRIDGING_FIELDS = {
  single: ['ipmi_target_channel', 'ipmi_target_address'],
  dual: [
    'ipmi_transit_channel',
    'ipmi_transit_address',
    'ipmi_target_channel',
    'ipmi_target_address',
  ],
} as const;

/** Checks the bridging fields as Ironic does, then refuses bridging, which ipmi-ts cannot do. */
function checkBridging(info: Readonly<Record<string, unknown>>): void {
  const bridging = info.ipmi_bridging ?? 'no';
  if (bridging === 'no') return;
  if (bridging !== 'single' && bridging !== 'dual') {
    throw new InvalidParameterValue(
      `ipmi_bridging must be one of "single", "dual", "no", got ${JSON.stringify(bridging)}.`,
    );
  }
  const needed = BRIDGING_FIELDS[bridging];
  const missing = needed.filter((name) => (info[name] ?? '') === '');
  if (missing.length > 0) {
    throw new MissingParameterValue(
      `ipmi_bridging "${bridging}" needs the following fields in driver_info: ${missing.join(', ')}.`,
    );
  }
  for (const name of needed) {
    if (name.endsWith('_channel')) integerField(name, info[name], 0, 15);
    else integerField(name, info[name], 0, 255);
  }
  integerField('ipmi_local_address', info.ipmi_local_address, 0, 255);
  throw new InvalidParameterValue(
    `ipmi_bridging "${bridging}" is not supported by the ipmitool interfaces of this conductor: they cannot send bridged IPMB requests. Address the target's own BMC and set ipmi_bridging to "no".`,
  );
}
