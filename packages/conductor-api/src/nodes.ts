import Joi from 'joi';
import type { NodeFields } from '@galvanic/db';
import { defineRpcMethod } from '@galvanic/rpc';

/** Which node a call is about; the api has already found it. */
export interface NodeRef {
  node_id: number;
  node_uuid: string;
}

const nodeRef = {
  node_id: Joi.number().integer().required(),
  node_uuid: Joi.string().required(),
};
const empty = Joi.object<Record<string, never>>({});

/**
 * The node fields update_node may set: what `PATCH /v1/nodes/{node}` may change, and the
 * interfaces the api resolves with a driver change. States, locks' bookkeeping and driver-internal
 * data are the conductor's own and never come over the bus.
 */
export const UPDATABLE_NODE_FIELDS = [
  'automated_clean',
  'conductor_group',
  'description',
  'driver',
  'driver_info',
  'extra',
  'instance_info',
  'instance_uuid',
  'lessee',
  'maintenance',
  'name',
  'network_data',
  'owner',
  'properties',
  'protected',
  'protected_reason',
  'resource_class',
  'retired',
  'retired_reason',
  'shard',
  'bios_interface',
  'boot_interface',
  'console_interface',
  'deploy_interface',
  'firmware_interface',
  'inspect_interface',
  'management_interface',
  'network_interface',
  'power_interface',
  'raid_interface',
  'rescue_interface',
  'storage_interface',
  'vendor_interface',
] as const satisfies readonly (keyof NodeFields)[];
export type UpdatableNodeField = (typeof UPDATABLE_NODE_FIELDS)[number];
export type NodeUpdate = Pick<NodeFields, UpdatableNodeField>;

export interface UpdateNodeArgs extends NodeRef {
  /** Field values to set, already checked by the api; only UPDATABLE_NODE_FIELDS. */
  changes: NodeUpdate;
}

const nullableText = Joi.string().allow(null);
const jsonObject = Joi.object().unknown(true);
const nullableFlag = Joi.boolean().allow(null);
/** Each updatable field with the shape its column takes; any other key is refused. */
const nodeUpdate = Joi.object<NodeUpdate>({
  automated_clean: nullableFlag,
  conductor_group: Joi.string().allow(''),
  description: nullableText,
  driver: Joi.string(),
  driver_info: jsonObject,
  extra: jsonObject,
  instance_info: jsonObject,
  instance_uuid: nullableText,
  lessee: nullableText,
  maintenance: Joi.boolean(),
  name: nullableText,
  network_data: jsonObject,
  owner: nullableText,
  properties: jsonObject,
  protected: Joi.boolean(),
  protected_reason: nullableText,
  resource_class: nullableText,
  retired: Joi.boolean(),
  retired_reason: nullableText,
  shard: nullableText,
  bios_interface: nullableText,
  boot_interface: nullableText,
  console_interface: nullableText,
  deploy_interface: nullableText,
  firmware_interface: nullableText,
  inspect_interface: nullableText,
  management_interface: nullableText,
  network_interface: nullableText,
  power_interface: nullableText,
  raid_interface: nullableText,
  rescue_interface: nullableText,
  storage_interface: nullableText,
  vendor_interface: nullableText,
} satisfies Record<UpdatableNodeField, Joi.Schema>).unknown(false);

/** Saves a node's changed fields under its exclusive lock (Ironic's update_node). */
export const updateNodeMethod = defineRpcMethod<UpdateNodeArgs, Record<string, never>>(
  'update_node',
  Joi.object<UpdateNodeArgs>({ ...nodeRef, changes: nodeUpdate.required() }),
  empty,
);

/** Deletes a node under its exclusive lock, where its state allows. */
export const destroyNodeMethod = defineRpcMethod<NodeRef, Record<string, never>>(
  'destroy_node',
  Joi.object<NodeRef>(nodeRef),
  empty,
);

export interface PowerArgs extends NodeRef {
  target: string;
  /** Seconds, for soft power actions and the wait for the new state. */
  timeout?: number;
}

/** Takes the lock and answers; the power action then runs and records its outcome. */
export const changePowerStateMethod = defineRpcMethod<PowerArgs, Record<string, never>>(
  'change_node_power_state',
  Joi.object<PowerArgs>({
    ...nodeRef,
    target: Joi.string().required(),
    timeout: Joi.number().integer().min(1),
  }),
  empty,
);

export interface BootDeviceArgs extends NodeRef {
  boot_device: string;
  persistent: boolean;
}

export interface BootDeviceState {
  boot_device: string | null;
  persistent: boolean | null;
}

export const setBootDeviceMethod = defineRpcMethod<BootDeviceArgs, Record<string, never>>(
  'set_boot_device',
  Joi.object<BootDeviceArgs>({
    ...nodeRef,
    boot_device: Joi.string().required(),
    persistent: Joi.boolean().required(),
  }),
  empty,
);

export const getBootDeviceMethod = defineRpcMethod<NodeRef, BootDeviceState>(
  'get_boot_device',
  Joi.object<NodeRef>(nodeRef),
  Joi.object<BootDeviceState>({
    boot_device: Joi.string().allow(null).required(),
    persistent: Joi.boolean().allow(null).required(),
  }),
);

export const getSupportedBootDevicesMethod = defineRpcMethod<
  NodeRef,
  { supported_boot_devices: string[] }
>(
  'get_supported_boot_devices',
  Joi.object<NodeRef>(nodeRef),
  Joi.object({ supported_boot_devices: Joi.array().items(Joi.string()).required() }),
);

export type ValidationResult = Record<string, { result: boolean; reason?: string }>;

/** Runs every interface's validate, as `GET /v1/nodes/{node}/validate` shows. */
export const validateNodeMethod = defineRpcMethod<NodeRef, ValidationResult>(
  'validate_driver_interfaces',
  Joi.object<NodeRef>(nodeRef),
  Joi.object().pattern(
    Joi.string(),
    Joi.object({ result: Joi.boolean().required(), reason: Joi.string().allow('') }),
  ),
);

export interface ProvisionArgs extends NodeRef {
  target: string;
  configdrive?: unknown;
  clean_steps?: Record<string, unknown>[];
  deploy_steps?: Record<string, unknown>[];
  disable_ramdisk?: boolean;
}

/** Starts a provisioning action: takes the lock, moves the state, answers; the work runs after. */
export const provisionMethod = defineRpcMethod<ProvisionArgs, Record<string, never>>(
  'do_provisioning_action',
  Joi.object<ProvisionArgs>({
    ...nodeRef,
    target: Joi.string().required(),
    configdrive: Joi.any(),
    clean_steps: Joi.array().items(Joi.object().unknown()),
    deploy_steps: Joi.array().items(Joi.object().unknown()),
    disable_ramdisk: Joi.boolean(),
  }),
  empty,
);
