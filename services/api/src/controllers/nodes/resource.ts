import { NODE_SORT_KEYS } from '@galvanic/db';
import { NodeNotFound } from '@galvanic/errors';
import { compileResource, type FieldDeclaration, type JsonType } from '../../resources/declaration';
import * as v from '../../resources/versions';
import { NODE_POLICY } from './policy';

const text: readonly JsonType[] = ['string'];
const nullableText: readonly JsonType[] = ['string', 'null'];
const object: readonly JsonType[] = ['object'];
/** Ironic's node schema takes oslo's boolean words beside JSON booleans. */
const flag: readonly JsonType[] = ['boolean', 'string'];
const nullableFlag: readonly JsonType[] = ['boolean', 'string', 'null'];

/** An `<kind>_interface` field: set on create and patch, resolved against the conductors. */
const anInterface = (since: number): FieldDeclaration => ({
  since,
  write: 'create-and-patch',
  types: nullableText,
  maxLength: 255,
});

/**
 * Ironic's node, field by field in the order the API shows them: the microversion each appeared
 * in, how it is shown, and what a client may set (the node's own schema and patch rules in
 * schema.ts and patch.ts read these).
 */
export const NODE_RESOURCE = compileResource({
  policy: NODE_POLICY,
  collection: 'nodes',
  singular: 'node',
  fields: {
    uuid: { since: v.MINOR_1_INITIAL_VERSION, write: 'create', types: text, uuid: true },
    created_at: { since: v.MINOR_1_INITIAL_VERSION, show: 'timestamp' },
    updated_at: { since: v.MINOR_1_INITIAL_VERSION, show: 'timestamp' },
    chassis_uuid: {
      since: v.MINOR_1_INITIAL_VERSION,
      show: 'computed',
      write: 'create-and-patch',
      types: nullableText,
      uuid: true,
    },
    console_enabled: { since: v.MINOR_1_INITIAL_VERSION },
    driver: {
      since: v.MINOR_1_INITIAL_VERSION,
      write: 'create-and-patch',
      types: text,
      maxLength: 255,
      required: true,
    },
    driver_info: {
      since: v.MINOR_1_INITIAL_VERSION,
      show: 'secrets-masked',
      write: 'create-and-patch',
      types: object,
    },
    extra: { since: v.MINOR_1_INITIAL_VERSION, write: 'create-and-patch', types: object },
    instance_info: {
      since: v.MINOR_1_INITIAL_VERSION,
      show: 'secrets-masked',
      write: 'create-and-patch',
      types: object,
    },
    instance_uuid: {
      since: v.MINOR_1_INITIAL_VERSION,
      write: 'create-and-patch',
      types: nullableText,
      uuid: true,
    },
    last_error: { since: v.MINOR_1_INITIAL_VERSION },
    maintenance: { since: v.MINOR_1_INITIAL_VERSION, write: 'patch', types: flag },
    maintenance_reason: { since: v.MINOR_1_INITIAL_VERSION },
    power_state: { since: v.MINOR_1_INITIAL_VERSION },
    properties: { since: v.MINOR_1_INITIAL_VERSION, write: 'create-and-patch', types: object },
    // Computed: before 1.2 Ironic shows `available` as null (its old NOSTATE).
    provision_state: { since: v.MINOR_1_INITIAL_VERSION, show: 'computed' },
    provision_updated_at: { since: v.MINOR_1_INITIAL_VERSION, show: 'timestamp' },
    reservation: { since: v.MINOR_1_INITIAL_VERSION, show: 'computed' },
    target_power_state: { since: v.MINOR_1_INITIAL_VERSION },
    target_provision_state: { since: v.MINOR_1_INITIAL_VERSION },
    links: { since: v.MINOR_1_INITIAL_VERSION, show: 'links' },
    ports: { since: v.MINOR_1_INITIAL_VERSION, show: 'subresource-links' },
    driver_internal_info: { since: v.MINOR_3_DRIVER_INTERNAL_INFO, show: 'secrets-masked' },
    name: { since: v.MINOR_5_NODE_NAME, write: 'create-and-patch', types: nullableText },
    inspection_finished_at: { since: v.MINOR_6_INSPECT_STATE, show: 'timestamp' },
    inspection_started_at: { since: v.MINOR_6_INSPECT_STATE, show: 'timestamp' },
    clean_step: { since: v.MINOR_7_NODE_CLEAN },
    raid_config: { since: v.MINOR_12_RAID_CONFIG },
    target_raid_config: { since: v.MINOR_12_RAID_CONFIG },
    states: { since: v.MINOR_14_LINKS_NODESTATES_DRIVERPROPERTIES, show: 'subresource-links' },
    network_interface: anInterface(v.MINOR_20_NETWORK_INTERFACE),
    resource_class: {
      since: v.MINOR_21_RESOURCE_CLASS,
      write: 'create-and-patch',
      types: nullableText,
      maxLength: 80,
    },
    portgroups: { since: v.MINOR_24_PORTGROUPS_SUBRESOURCES, show: 'subresource-links' },
    boot_interface: anInterface(v.MINOR_31_DYNAMIC_INTERFACES),
    console_interface: anInterface(v.MINOR_31_DYNAMIC_INTERFACES),
    deploy_interface: anInterface(v.MINOR_31_DYNAMIC_INTERFACES),
    inspect_interface: anInterface(v.MINOR_31_DYNAMIC_INTERFACES),
    management_interface: anInterface(v.MINOR_31_DYNAMIC_INTERFACES),
    power_interface: anInterface(v.MINOR_31_DYNAMIC_INTERFACES),
    raid_interface: anInterface(v.MINOR_31_DYNAMIC_INTERFACES),
    vendor_interface: anInterface(v.MINOR_31_DYNAMIC_INTERFACES),
    volume: { since: v.MINOR_32_VOLUME, show: 'subresource-links' },
    storage_interface: anInterface(v.MINOR_33_STORAGE_INTERFACE),
    traits: { since: v.MINOR_37_NODE_TRAITS },
    rescue_interface: anInterface(v.MINOR_38_RESCUE_INTERFACE),
    bios_interface: anInterface(v.MINOR_40_BIOS_INTERFACE),
    firmware_interface: anInterface(v.MINOR_86_FIRMWARE_INTERFACE),
    fault: { since: v.MINOR_42_FAULT },
    deploy_step: { since: v.MINOR_44_NODE_DEPLOY_STEP },
    service_step: { since: v.MINOR_87_SERVICE },
    conductor_group: {
      since: v.MINOR_46_NODE_CONDUCTOR_GROUP,
      write: 'create-and-patch',
      types: text,
      maxLength: 255,
    },
    automated_clean: {
      since: v.MINOR_47_NODE_AUTOMATED_CLEAN,
      write: 'create-and-patch',
      types: nullableFlag,
    },
    protected: { since: v.MINOR_48_NODE_PROTECTED, write: 'patch', types: flag },
    protected_reason: { since: v.MINOR_48_NODE_PROTECTED, write: 'patch', types: nullableText },
    conductor: { since: v.MINOR_49_CONDUCTORS, show: 'computed' },
    owner: {
      since: v.MINOR_50_NODE_OWNER,
      write: 'create-and-patch',
      types: nullableText,
      maxLength: 255,
    },
    description: {
      since: v.MINOR_51_NODE_DESCRIPTION,
      write: 'create-and-patch',
      types: nullableText,
      maxLength: 4096,
    },
    allocation_uuid: { since: v.MINOR_52_ALLOCATION, show: 'computed' },
    retired: { since: v.MINOR_61_NODE_RETIRED, write: 'create-and-patch', types: flag },
    retired_reason: {
      since: v.MINOR_61_NODE_RETIRED,
      write: 'create-and-patch',
      types: nullableText,
    },
    lessee: {
      since: v.MINOR_65_NODE_LESSEE,
      write: 'create-and-patch',
      types: nullableText,
      maxLength: 255,
    },
    network_data: { since: v.MINOR_66_NODE_NETWORK_DATA, write: 'create-and-patch', types: object },
    boot_mode: { since: v.MINOR_75_NODE_BOOT_MODE },
    secure_boot: { since: v.MINOR_75_NODE_BOOT_MODE },
    shard: {
      since: v.MINOR_82_NODE_SHARD,
      write: 'create-and-patch',
      types: nullableText,
      maxLength: 255,
    },
    // A UUID or name when written; stored and shown as the parent's UUID (crud.ts).
    parent_node: {
      since: v.MINOR_83_PARENT_CHILD_NODES,
      write: 'create-and-patch',
      types: nullableText,
      maxLength: 36,
    },
    disable_power_off: {
      since: v.MINOR_95_DISABLE_POWER_OFF,
      write: 'create-and-patch',
      types: flag,
    },
    instance_name: {
      since: v.MINOR_104_NODE_INSTANCE_NAME,
      write: 'create-and-patch',
      types: nullableText,
      maxLength: 255,
    },
    // Derived from what Galvanic knows of the BMC (health.ts).
    health: { since: v.MINOR_109_NODE_HEALTH, show: 'computed' },
  },
  defaultListFields: [
    'instance_uuid',
    'maintenance',
    'power_state',
    'provision_state',
    'uuid',
    'name',
  ],
  sortKeys: NODE_SORT_KEYS,
  filters: {
    driver: { kind: 'text' },
    provision_state: { kind: 'text' },
    conductor_group: { kind: 'text' },
    owner: { kind: 'text' },
    lessee: { kind: 'text' },
    resource_class: { kind: 'text' },
    fault: { kind: 'text' },
    shard: { kind: 'text' },
    instance_uuid: { kind: 'uuid' },
    description_contains: { kind: 'text' },
    maintenance: { kind: 'boolean' },
    associated: { kind: 'boolean' },
    retired: { kind: 'boolean' },
    sharded: { kind: 'boolean', since: v.MINOR_82_NODE_SHARD },
    parent_node: { kind: 'text', since: v.MINOR_83_PARENT_CHILD_NODES },
    include_children: { kind: 'boolean', since: v.MINOR_83_PARENT_CHILD_NODES },
    instance_name: { kind: 'text', since: v.MINOR_104_NODE_INSTANCE_NAME },
  },
  parameters: { style: 'lenient' },
  notFound: (ident) => new NodeNotFound(ident),
});
