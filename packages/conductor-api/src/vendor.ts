import { z } from 'zod';
import { defineRpcMethod, type RpcArgs, type RpcResult } from '@galvanic/rpc';
import { PASSTHRU_HTTP_METHODS, passthruMethodListing } from './drivers';
import { nodeRef } from './nodes';

/** What a passthru call answers: for async methods nothing, for sync ones the return value. */
const outcome = z.object({
  async: z.boolean(),
  attach: z.boolean(),
  /** The method's return value, for sync methods; JSON, `null` when it returned nothing. */
  result: z.unknown().optional(),
});

const call = {
  method: z.string(),
  http_method: z.enum(PASSTHRU_HTTP_METHODS),
  /** The request body as the client sent it (any JSON), untouched. */
  body: z.unknown().optional(),
};

export const nodeVendorMethodsMethod = defineRpcMethod(
  'node_vendor_passthru_methods',
  z.strictObject(nodeRef),
  z.record(z.string(), passthruMethodListing),
);

/** Carries the node's driver and vendor interface as the api read them, to pick the lock the method needs. */
export const nodeVendorPassthruMethod = defineRpcMethod(
  'node_vendor_passthru',
  z.strictObject({
    ...nodeRef,
    driver: z.string(),
    vendor_interface: z.string().nullable(),
    ...call,
  }),
  outcome,
);
export type NodeVendorCall = RpcArgs<typeof nodeVendorPassthruMethod>;
export type PassthruOutcome = RpcResult<typeof nodeVendorPassthruMethod>;

export const driverVendorPassthruMethod = defineRpcMethod(
  'driver_vendor_passthru',
  z.strictObject({ driver: z.string(), ...call }),
  outcome,
);
export type PassthruCall = Omit<RpcArgs<typeof driverVendorPassthruMethod>, 'driver'>;
