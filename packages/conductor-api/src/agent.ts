import { z } from 'zod';
import { defineRpcMethod, type RpcArgs } from '@galvanic/rpc';
import { nodeRef } from './nodes';

const jsonObject = z.record(z.string(), z.unknown());

/**
 * Contract 1.2. Ironic's get_node_with_token, for `/v1/lookup`: under the node's lock, gives it an
 * agent token if it has none and answers it; a node that has one already answers the mask, so a
 * token is handed out once.
 */
export const getNodeWithTokenMethod = defineRpcMethod(
  'get_node_with_token',
  z.strictObject(nodeRef),
  z.object({ agent_token: z.string() }),
);

/**
 * Contract 1.2. A heartbeat of the node's agent: the token is checked and the agent's address
 * recorded before the answer; what the node waits for then goes on under its lock.
 */
export const heartbeatMethod = defineRpcMethod(
  'heartbeat',
  z.strictObject({
    ...nodeRef,
    callback_url: z.string(),
    agent_version: z.string().optional(),
    agent_token: z.string().optional(),
    agent_verify_ca: z.string().optional(),
  }),
  z.object({}),
);
export type HeartbeatArgs = RpcArgs<typeof heartbeatMethod>;

/**
 * Contract 1.2. The inventory an agent collected for a node in `inspect wait`: it is kept, and the
 * node's properties and ports are filled from it before inspection ends.
 */
export const continueInspectionMethod = defineRpcMethod(
  'continue_inspection',
  z.strictObject({ ...nodeRef, inventory: jsonObject, plugin_data: jsonObject }),
  z.object({}),
);
export type ContinueInspectionArgs = RpcArgs<typeof continueInspectionMethod>;
