import Joi from 'joi';
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

export interface UpdateNodeArgs extends NodeRef {
  /** Column values to set, already checked by the api. */
  changes: Record<string, unknown>;
}

/** Saves a node's changed fields under its exclusive lock (Ironic's update_node). */
export const updateNodeMethod = defineRpcMethod<UpdateNodeArgs, Record<string, never>>(
  'update_node',
  Joi.object<UpdateNodeArgs>({ ...nodeRef, changes: Joi.object().required() }),
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
