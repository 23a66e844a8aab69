import { z } from 'zod';
import { defineRpcMethod } from '@galvanic/rpc';
import { nodeRef } from './nodes';

const nothing = z.object({});
const allocationRef = { allocation_id: z.number().int().positive() };

/**
 * Contract 1.2. Processes a new allocation (stored by the api in `allocating`): any conductor
 * answers at once and then looks for a node in the background, as Ironic's create_allocation.
 */
export const createAllocationMethod = defineRpcMethod(
  'create_allocation',
  z.strictObject(allocationRef),
  nothing,
);

/**
 * Contract 1.2. Backfills an allocation onto an active node, synchronously, under the node's lock
 * on the conductor that owns it; a failure leaves the allocation in `error` and is answered.
 */
export const backfillAllocationMethod = defineRpcMethod(
  'backfill_allocation',
  z.strictObject({ ...nodeRef, ...allocationRef }),
  nothing,
);

/** Contract 1.2. Deletes an allocation, freeing its node under the node's lock. */
export const destroyAllocationMethod = defineRpcMethod(
  'destroy_allocation',
  z.strictObject(allocationRef),
  nothing,
);
