import { Invalid, InvalidParameterValue } from '@galvanic/errors';
import { booleanArgument, pythonRepr, uuidArgument } from '../../resources/rules';
import { checkSchema } from '../../resources/schema';
import { PORT_RESOURCE } from './resource';

/** The OVN VTEP switch keys of a local link (1.90, dropped again in 1.105). */
export const OVN_VTEP_KEYS: readonly string[] = ['vtep-logical-switch', 'vtep-physical-switch'];

const LOCAL_LINK_KEYS = new Set([
  'port_id',
  'switch_id',
  'hostname',
  'switch_info',
  'network_type',
  ...OVN_VTEP_KEYS,
]);
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const DATAPATH_ID = /^[0-9a-f]{16}$/;

function schemaError(name: string, message: string): InvalidParameterValue {
  return new InvalidParameterValue(`Schema error for ${name}: ${message}`);
}

/** A MAC address as Ironic stores it (lower case); undefined when `text` is not one. */
export function normalizeMac(text: string): string | undefined {
  const mac = text.toLowerCase();
  return MAC.test(mac) ? mac : undefined;
}

/** Ironic's MAC check of an argument or field named `name`. */
export function macArgument(name: string, value: string): string {
  const mac = normalizeMac(value);
  if (mac === undefined)
    throw new InvalidParameterValue(`Expected valid MAC address for ${name}: ${value}`);
  return mac;
}

function isLocalLinkShape(link: Record<string, unknown>): boolean {
  const keys = Object.keys(link);
  if (keys.length === 0) return true;
  if (keys.some((k) => !LOCAL_LINK_KEYS.has(k) || typeof link[k] !== 'string')) return false;
  if (
    link.network_type !== undefined &&
    !['managed', 'unmanaged'].includes(String(link.network_type))
  )
    return false;
  // One VTEP switch key needs the other.
  if (OVN_VTEP_KEYS.filter((k) => Object.hasOwn(link, k)).length === 1) return false;
  const has = (key: string) => Object.hasOwn(link, key);
  return (
    (has('port_id') && has('switch_id')) ||
    (has('port_id') && has('hostname')) ||
    (has('port_id') && OVN_VTEP_KEYS.every(has)) ||
    link.network_type === 'unmanaged'
  );
}

/** Ironic's local link check: one of its accepted shapes, with `switch_id` normalised. */
function localLinkConnection(link: Record<string, unknown>): Record<string, unknown> {
  if (!isLocalLinkShape(link)) {
    throw schemaError(
      'local_link_connection',
      `${pythonRepr(link)} is not valid under any of the given schemas`,
    );
  }
  if (typeof link.switch_id !== 'string') return link;
  const switchId = link.switch_id.toLowerCase();
  if (!MAC.test(switchId) && !DATAPATH_ID.test(switchId)) {
    throw new InvalidParameterValue(
      `Expected a MAC address or OpenFlow datapath ID but received ${link.switch_id}.`,
    );
  }
  return { ...link, switch_id: switchId };
}

/** A port's fields checked and normalised: the keys given, no others. */
export interface PortValues {
  address?: string;
  node_uuid?: string;
  uuid?: string | null;
  extra?: Record<string, unknown> | null;
  local_link_connection?: Record<string, unknown> | null;
  pxe_enabled?: boolean | null;
  is_smartnic?: boolean | null;
  physical_network?: string | null;
  portgroup_uuid?: string | null;
  name?: string | null;
  description?: string | null;
  vendor?: string | null;
  category?: string | null;
  available_for_dynamic_portgroup?: boolean;
}

/**
 * Checks a port document as Ironic's port schema and validators do, with their wording: the
 * declared schema, then addresses, UUIDs, booleans and the local link. `name` is what the messages
 * call it (`port` for a create body, `patch` for a patched port); `allowed` its members.
 */
export function checkPort(name: string, body: unknown, allowed: readonly string[]): PortValues {
  const fields = checkSchema(PORT_RESOURCE, name, body, allowed);
  const values: PortValues = {};
  values.address = macArgument('address', fields.address as string);
  values.node_uuid = uuidArgument('node_uuid', fields.node_uuid as string);
  for (const field of ['is_smartnic', 'pxe_enabled'] as const) {
    const value = fields[field] as string | boolean | null | undefined;
    if (value !== undefined) values[field] = value === null ? null : booleanArgument(field, value);
  }
  if (fields.local_link_connection !== undefined) {
    const link = fields.local_link_connection as Record<string, unknown> | null;
    values.local_link_connection = link === null ? null : localLinkConnection(link);
  }
  for (const field of ['portgroup_uuid', 'uuid'] as const) {
    const value = fields[field] as string | null | undefined;
    if (value !== undefined) values[field] = value === null ? null : uuidArgument(field, value);
  }
  if (fields.extra !== undefined) values.extra = fields.extra as Record<string, unknown> | null;
  for (const field of ['name', 'description', 'vendor', 'category'] as const) {
    if (fields[field] !== undefined) values[field] = fields[field] as string | null;
  }
  if (fields.available_for_dynamic_portgroup !== undefined)
    values.available_for_dynamic_portgroup = fields.available_for_dynamic_portgroup as boolean;
  if (fields.physical_network !== undefined)
    values.physical_network = fields.physical_network as string | null;
  return values;
}

/** The rules Ironic applies beyond the schema, on create and on update alike. */
export function checkPortRules(values: PortValues): void {
  if (values.is_smartnic) {
    const link = values.local_link_connection ?? {};
    if (typeof link.port_id !== 'string' || typeof link.hostname !== 'string') {
      throw new Invalid('Smart NIC port must have port_id and hostname in local_link_connection');
    }
  }
  if (values.physical_network === '') {
    throw new Invalid('A non-empty value is required when setting physical_network');
  }
}
