import { statSync } from 'node:fs';
import { InvalidParameterValue, MissingParameterValue, type NodeView } from '@galvanic/driver-sdk';
import type { AuthType, VerifyCa } from 'redfish-ts';

const AUTH_TYPES: readonly AuthType[] = ['basic', 'session', 'auto'];
const TRUE_WORDS = new Set(['1', 't', 'true', 'on', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'f', 'false', 'off', 'n', 'no']);
/** The service root this driver reaches; Ironic lets a path in redfish_address say where it is. */
const SERVICE_ROOT_PATHS = new Set(['', '/', '/redfish/v1', '/redfish/v1/']);

/** A node's Redfish settings, checked. */
export interface RedfishDriverInfo {
  /** `scheme://host[:port]`. */
  readonly address: string;
  /** The System's path or Id; undefined: the BMC's only System. */
  readonly systemId: string | undefined;
  readonly username: string;
  readonly password: string;
  readonly verifyCa: VerifyCa;
  readonly authType: AuthType;
}

/** Reads and checks the node's redfish_* fields; throws the errors `validate` reports, in Ironic's words. */
export function parseDriverInfo(node: NodeView, defaultAuthType: string): RedfishDriverInfo {
  const info = node.driverInfo;
  if ((info.redfish_address ?? '') === '') {
    throw new MissingParameterValue(
      `Missing the following Redfish properties in node ${node.uuid} driver_info: ['redfish_address']`,
    );
  }
  return {
    address: address(node, info.redfish_address),
    systemId: systemId(node, info.redfish_system_id),
    username: credential(node, 'redfish_username', info.redfish_username),
    password: credential(node, 'redfish_password', info.redfish_password),
    verifyCa: verifyCa(node, info.redfish_verify_ca),
    authType: authType(node, info.redfish_auth_type ?? defaultAuthType),
  };
}

function address(node: NodeView, value: unknown): string {
  const invalid = () =>
    new InvalidParameterValue(
      `Invalid Redfish address ${String(value)} set in driver_info/redfish_address on node ${node.uuid}`,
    );
  if (typeof value !== 'string' || /\s/.test(value)) throw invalid();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid();
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.host === '') throw invalid();
  if (url.username || url.password) {
    throw new InvalidParameterValue(
      `Invalid Redfish address set in driver_info/redfish_address on node ${node.uuid}: give the credentials as redfish_username and redfish_password, not in the URL`,
    );
  }
  if (!SERVICE_ROOT_PATHS.has(url.pathname) || url.search || url.hash) {
    throw new InvalidParameterValue(
      `Invalid Redfish address ${value} set in driver_info/redfish_address on node ${node.uuid}: this driver reaches the service root at /redfish/v1/ only, so the address may not name another path`,
    );
  }
  return `${url.protocol}//${url.host}`;
}

function systemId(node: NodeView, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || /\s/.test(value)) {
    throw new InvalidParameterValue(
      `Invalid value "${String(value)}" set in driver_info/redfish_system_id on node ${node.uuid}. The value should be a path (string) to the resource that the driver will interact with. For example: /redfish/v1/Systems/1`,
    );
  }
  return value;
}

function credential(node: NodeView, name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') {
    throw new InvalidParameterValue(
      `Invalid value type set in driver_info/${name} on node ${node.uuid}. The value should be a string.`,
    );
  }
  return value;
}

function verifyCa(node: NodeView, value: unknown): VerifyCa {
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  const invalid = new InvalidParameterValue(
    `Invalid value type set in driver_info/redfish_verify_ca on node ${node.uuid}. The value should be a Boolean or the path to a file/directory, not "${String(value)}"`,
  );
  if (typeof value !== 'string') throw invalid;
  const found = statSync(value, { throwIfNoEntry: false });
  if (found?.isFile()) return value;
  if (found?.isDirectory()) {
    throw new InvalidParameterValue(
      `driver_info/redfish_verify_ca on node ${node.uuid} names the directory ${value}: this driver reads CA certificates from one PEM file; give the path of a file that holds them all`,
    );
  }
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw invalid;
}

function authType(node: NodeView, value: unknown): AuthType {
  const found = AUTH_TYPES.find((known) => known === value);
  if (!found) {
    throw new InvalidParameterValue(
      `Invalid value "${String(value)}" set in driver_info/redfish_auth_type on node ${node.uuid}. The value should be one of "basic", "session" or "auto".`,
    );
  }
  return found;
}
