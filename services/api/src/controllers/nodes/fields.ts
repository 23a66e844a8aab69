import type { NodeRow } from '@galvanic/db';
import { redactSecrets } from '@galvanic/logging';
import { ironicTimestamp, resourceLinks } from '../../http/links';

/** Every node field of the API, with the microversion (1.N) that introduced it. */
export const NODE_FIELD_VERSIONS: Readonly<Record<string, number>> = {
  uuid: 1,
  created_at: 1,
  updated_at: 1,
  chassis_uuid: 1,
  console_enabled: 1,
  driver: 1,
  driver_info: 1,
  extra: 1,
  instance_info: 1,
  instance_uuid: 1,
  last_error: 1,
  maintenance: 1,
  maintenance_reason: 1,
  power_state: 1,
  properties: 1,
  provision_state: 1,
  provision_updated_at: 1,
  reservation: 1,
  target_power_state: 1,
  target_provision_state: 1,
  links: 1,
  ports: 1,
  driver_internal_info: 3,
  name: 5,
  inspection_finished_at: 6,
  inspection_started_at: 6,
  clean_step: 7,
  raid_config: 12,
  target_raid_config: 12,
  states: 14,
  network_interface: 20,
  resource_class: 21,
  portgroups: 24,
  boot_interface: 31,
  console_interface: 31,
  deploy_interface: 31,
  inspect_interface: 31,
  management_interface: 31,
  power_interface: 31,
  raid_interface: 31,
  vendor_interface: 31,
  volume: 32,
  storage_interface: 33,
  traits: 37,
  rescue_interface: 38,
  bios_interface: 40,
  fault: 42,
  deploy_step: 44,
  conductor_group: 46,
  automated_clean: 47,
  protected: 48,
  protected_reason: 48,
  conductor: 49,
  owner: 50,
  description: 51,
  allocation_uuid: 52,
  retired: 61,
  retired_reason: 61,
  lessee: 65,
  network_data: 66,
  boot_mode: 75,
  secure_boot: 75,
  shard: 82,
};

/** The fields of `GET /v1/nodes` without `detail` or `fields`. */
export function defaultListFields(minor: number): string[] {
  return [
    'instance_uuid',
    'maintenance',
    'power_state',
    'provision_state',
    'uuid',
    ...(minor >= 5 ? ['name'] : []),
  ];
}

/** Fields the negotiated microversion shows. */
export function fieldsAt(minor: number): string[] {
  return Object.entries(NODE_FIELD_VERSIONS)
    .filter(([, since]) => since <= minor)
    .map(([field]) => field);
}

/** What the API shows beside the stored columns. */
export interface NodeContext {
  base: string;
  /** Host holding the node's exclusive lock now, if any. */
  reservation: string | null;
  /** Host the hash ring gives the node to now, if any. */
  conductor: string | null;
}

const TIMESTAMPS = new Set([
  'created_at',
  'updated_at',
  'provision_updated_at',
  'inspection_started_at',
  'inspection_finished_at',
]);
const MASKED = new Set(['driver_info', 'instance_info', 'driver_internal_info']);

/** One field's API value. Secrets in the info maps show as `******`. */
function fieldValue(row: NodeRow, field: string, context: NodeContext): unknown {
  switch (field) {
    case 'links':
      return resourceLinks(context.base, 'nodes', row.uuid);
    case 'ports':
    case 'states':
    case 'portgroups':
    case 'volume':
      return resourceLinks(context.base, 'nodes', `${row.uuid}/${field}`);
    case 'reservation':
      return context.reservation;
    case 'conductor':
      return context.conductor;
    case 'chassis_uuid':
    case 'allocation_uuid':
      return null;
  }
  const value = (row as unknown as Record<string, unknown>)[field];
  if (TIMESTAMPS.has(field)) return ironicTimestamp(value as Date | null);
  if (MASKED.has(field)) return redactSecrets(value);
  return value ?? null;
}

/** The node as the API shows it: the given fields, in that order. */
export function nodeToApi(
  row: NodeRow,
  fields: readonly string[],
  context: NodeContext,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = fieldValue(row, field, context);
  return out;
}
