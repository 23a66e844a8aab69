import { z } from 'zod';
import type { NodeRow } from '@galvanic/db';
import {
  BOOT_DEVICES,
  BOOT_MODES,
  INDICATOR_COMPONENTS,
  INDICATOR_STATES,
  POWER_TARGETS,
  PROVISION_TARGETS,
} from '@galvanic/node-states';
import { defineRpcMethod, type RpcArgs, type RpcResult } from '@galvanic/rpc';

/** Which node a call is about; the api has already found it. */
export const nodeRef = { node_id: z.number().int(), node_uuid: z.string() };
export type NodeRef = z.infer<z.ZodObject<typeof nodeRef>>;

const nothing = z.object({});
const nullableText = z.string().nullable();
const jsonObject = z.record(z.string(), z.unknown());

/**
 * The node fields update_node may set, each with the type its column takes: what
 * `PATCH /v1/nodes/{node}` may change, and the interfaces the api resolves with a driver change.
 * States, locks' bookkeeping and driver-internal data are the conductor's own and never come over
 * the bus. Any other key is refused, so no column name reaches SQL from a message.
 */
const updatableNodeFields = {
  automated_clean: z.boolean().nullable(),
  conductor_group: z.string(),
  description: nullableText,
  driver: z.string(),
  driver_info: jsonObject,
  extra: jsonObject,
  instance_info: jsonObject,
  instance_uuid: nullableText,
  lessee: nullableText,
  maintenance: z.boolean(),
  maintenance_reason: nullableText,
  name: nullableText,
  network_data: jsonObject,
  owner: nullableText,
  properties: jsonObject,
  protected: z.boolean(),
  protected_reason: nullableText,
  resource_class: nullableText,
  retired: z.boolean(),
  retired_reason: nullableText,
  shard: nullableText,
  parent_node: nullableText,
  instance_name: nullableText,
  disable_power_off: z.boolean(),
  chassis_id: z.number().int().positive().nullable(),
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
} satisfies { [Field in keyof NodeRow]?: z.ZodType<NodeRow[Field], NodeRow[Field]> };

const nodeUpdate = z.strictObject(updatableNodeFields).partial();
export type NodeUpdate = z.infer<typeof nodeUpdate>;
export const UPDATABLE_NODE_FIELDS = nodeUpdate.keyof().options;
export type UpdatableNodeField = keyof NodeUpdate;

/** Saves a node's changed fields under its exclusive lock (Ironic's update_node). */
export const updateNodeMethod = defineRpcMethod(
  'update_node',
  z.strictObject({ ...nodeRef, changes: nodeUpdate }),
  nothing,
);
export type UpdateNodeArgs = RpcArgs<typeof updateNodeMethod>;

/** Deletes a node under its exclusive lock, where its state allows. */
export const destroyNodeMethod = defineRpcMethod('destroy_node', z.strictObject(nodeRef), nothing);

/** Takes the lock and answers; the power action then runs and records its outcome. */
export const changePowerStateMethod = defineRpcMethod(
  'change_node_power_state',
  z.strictObject({
    ...nodeRef,
    target: z.enum(POWER_TARGETS),
    /** Seconds, for soft power actions and the wait for the new state. */
    timeout: z.number().int().min(1).optional(),
  }),
  nothing,
);
export type PowerArgs = RpcArgs<typeof changePowerStateMethod>;

const bootDevice = z.enum(BOOT_DEVICES);

export const setBootDeviceMethod = defineRpcMethod(
  'set_boot_device',
  z.strictObject({ ...nodeRef, boot_device: bootDevice, persistent: z.boolean() }),
  nothing,
);
export type BootDeviceArgs = RpcArgs<typeof setBootDeviceMethod>;

export const getBootDeviceMethod = defineRpcMethod(
  'get_boot_device',
  z.strictObject(nodeRef),
  z.object({ boot_device: bootDevice.nullable(), persistent: z.boolean().nullable() }),
);
export type BootDeviceState = RpcResult<typeof getBootDeviceMethod>;

export const getSupportedBootDevicesMethod = defineRpcMethod(
  'get_supported_boot_devices',
  z.strictObject(nodeRef),
  z.object({ supported_boot_devices: z.array(bootDevice) }),
);

/** Contract 1.1. Sets the boot mode under the exclusive lock and records it on the node. */
export const setBootModeMethod = defineRpcMethod(
  'set_boot_mode',
  z.strictObject({ ...nodeRef, boot_mode: z.enum(BOOT_MODES) }),
  nothing,
);
export type BootModeArgs = RpcArgs<typeof setBootModeMethod>;

/** Contract 1.1. Injects an NMI under the exclusive lock. */
export const injectNmiMethod = defineRpcMethod('inject_nmi', z.strictObject(nodeRef), nothing);

const indicatorComponent = z.enum(INDICATOR_COMPONENTS);
const indicatorState = z.enum(INDICATOR_STATES);
const indicatorRef = { ...nodeRef, component: indicatorComponent, indicator: z.string().min(1) };

/** Contract 1.1. The node's indicators, by component and name, as the management interface has them. */
export const getSupportedIndicatorsMethod = defineRpcMethod(
  'get_supported_indicators',
  z.strictObject(nodeRef),
  z.object({
    indicators: z.array(
      z.object({
        component: indicatorComponent,
        name: z.string(),
        readonly: z.boolean(),
        states: z.array(indicatorState),
      }),
    ),
  }),
);
export type SupportedIndicatorList = RpcResult<typeof getSupportedIndicatorsMethod>;

/** Contract 1.1. One indicator's state, under the shared lock. */
export const getIndicatorStateMethod = defineRpcMethod(
  'get_indicator_state',
  z.strictObject(indicatorRef),
  z.object({ state: indicatorState }),
);
export type IndicatorArgs = RpcArgs<typeof getIndicatorStateMethod>;

/** Contract 1.1. Sets one indicator's state under the exclusive lock. */
export const setIndicatorStateMethod = defineRpcMethod(
  'set_indicator_state',
  z.strictObject({ ...indicatorRef, state: indicatorState }),
  nothing,
);
export type SetIndicatorArgs = RpcArgs<typeof setIndicatorStateMethod>;

/** Runs every interface's validate, as `GET /v1/nodes/{node}/validate` shows. */
export const validateNodeMethod = defineRpcMethod(
  'validate_driver_interfaces',
  z.strictObject(nodeRef),
  z.record(z.string(), z.object({ result: z.boolean(), reason: z.string().optional() })),
);
export type ValidationResult = RpcResult<typeof validateNodeMethod>;

const steps = z.array(jsonObject).optional();

/** Starts a provisioning action: takes the lock, moves the state, answers; the work runs after. */
export const provisionMethod = defineRpcMethod(
  'do_provisioning_action',
  z.strictObject({
    ...nodeRef,
    target: z.enum(PROVISION_TARGETS),
    configdrive: z.unknown().optional(),
    clean_steps: steps,
    deploy_steps: steps,
    service_steps: steps,
    disable_ramdisk: z.boolean().optional(),
    /** Contract 1.8: the password of the rescue environment, with the `rescue` target only. */
    rescue_password: z.string().optional(),
  }),
  nothing,
);
export type ProvisionArgs = RpcArgs<typeof provisionMethod>;

const traitList = z.array(z.string().min(1).max(255));

/**
 * Contract 1.2. Adds traits to a node, or with `replace` makes them its traits, under the
 * exclusive lock (Ironic's add_node_traits); the api checked their names.
 */
export const addNodeTraitsMethod = defineRpcMethod(
  'add_node_traits',
  z.strictObject({ ...nodeRef, traits: traitList, replace: z.boolean() }),
  nothing,
);

/** Contract 1.2. Removes traits from a node, all of them when `traits` is null. */
export const removeNodeTraitsMethod = defineRpcMethod(
  'remove_node_traits',
  z.strictObject({ ...nodeRef, traits: traitList.nullable() }),
  nothing,
);

/** Contract 1.2. The VIFs attached to the node's ports and port groups. */
export const vifListMethod = defineRpcMethod(
  'vif_list',
  z.strictObject(nodeRef),
  z.object({ vifs: z.array(z.object({ id: z.string() })) }),
);

/** Contract 1.2. Attaches a VIF to a free port or port group of the node. */
export const vifAttachMethod = defineRpcMethod(
  'vif_attach',
  z.strictObject({
    ...nodeRef,
    vif_info: z.looseObject({
      id: z.string().min(1),
      port_uuid: z.string().optional(),
      portgroup_uuid: z.string().optional(),
    }),
  }),
  nothing,
);

/** Contract 1.2. Detaches a VIF from the node. */
export const vifDetachMethod = defineRpcMethod(
  'vif_detach',
  z.strictObject({ ...nodeRef, vif_id: z.string().min(1) }),
  nothing,
);

/** Contract 1.2. Validates a target RAID configuration with the node's raid interface and saves it. */
export const setTargetRaidConfigMethod = defineRpcMethod(
  'set_target_raid_config',
  z.strictObject({ ...nodeRef, target_raid_config: jsonObject }),
  nothing,
);
