import Joi from 'joi';
import { defineRpcMethod } from '@galvanic/rpc';
import type { PassthruMethodListing } from './drivers';
import type { NodeRef } from './nodes';

const listing = Joi.object<PassthruMethodListing>({
  http_methods: Joi.array().items(Joi.string()).required(),
  async: Joi.boolean().required(),
  description: Joi.string().allow('').required(),
  attach: Joi.boolean().required(),
  require_exclusive_lock: Joi.boolean(),
});

/** What a passthru call answers: for async methods nothing, for sync ones the return value. */
export interface PassthruOutcome {
  async: boolean;
  attach: boolean;
  /** The method's return value, for sync methods; JSON, `null` when it returned nothing. */
  result?: unknown;
}

const outcome = Joi.object<PassthruOutcome>({
  async: Joi.boolean().required(),
  attach: Joi.boolean().required(),
  result: Joi.any(),
});

export interface PassthruCall {
  method: string;
  http_method: string;
  /** The request body as the client sent it (any JSON), untouched. */
  body?: unknown;
}

const call = {
  method: Joi.string().required(),
  http_method: Joi.string().valid('GET', 'POST', 'PUT', 'PATCH', 'DELETE').required(),
  body: Joi.any(),
};

export const nodeVendorMethodsMethod = defineRpcMethod<
  NodeRef,
  Record<string, PassthruMethodListing>
>(
  'node_vendor_passthru_methods',
  Joi.object<NodeRef>({
    node_id: Joi.number().integer().required(),
    node_uuid: Joi.string().required(),
  }),
  Joi.object().pattern(Joi.string(), listing),
);

/** The node's driver and vendor interface as the api read them, to pick the lock the method needs. */
export interface NodeVendorCall extends NodeRef, PassthruCall {
  driver: string;
  vendor_interface: string | null;
}

export const nodeVendorPassthruMethod = defineRpcMethod<NodeVendorCall, PassthruOutcome>(
  'node_vendor_passthru',
  Joi.object<NodeVendorCall>({
    node_id: Joi.number().integer().required(),
    node_uuid: Joi.string().required(),
    driver: Joi.string().required(),
    vendor_interface: Joi.string().allow(null).required(),
    ...call,
  }),
  outcome,
);

export const driverVendorPassthruMethod = defineRpcMethod<
  { driver: string } & PassthruCall,
  PassthruOutcome
>(
  'driver_vendor_passthru',
  Joi.object<{ driver: string } & PassthruCall>({ driver: Joi.string().required(), ...call }),
  outcome,
);
