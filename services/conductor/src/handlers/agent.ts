import {
  continueInspectionMethod,
  getNodeWithTokenMethod,
  heartbeatMethod,
} from '@galvanic/conductor-api';
import type { InspectionRuleStore, NodeInventoryStore, PortStore } from '@galvanic/db';
import type { RpcServer } from '@galvanic/rpc';
import type { NodeTaskManager } from '../nodes/task-manager';
import {
  acceptHeartbeat,
  assertWaitingForInventory,
  continueAfterHeartbeat,
  continueInspection,
  failAgentWork,
  issueAgentToken,
} from '../workflows/agent-callbacks';

/** The calls a node's agent causes through the api: lookup, heartbeat, inspection data. */
export function registerAgentHandlers(
  rpc: RpcServer,
  tasks: NodeTaskManager,
  inventories: NodeInventoryStore,
  ports: PortStore,
  rules: InspectionRuleStore,
): void {
  rpc.register(getNodeWithTokenMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => ({ agent_token: await issueAgentToken(task) })),
  );

  rpc.register(heartbeatMethod, async (args, ctx) => {
    await tasks.startAsync(
      args,
      ctx,
      (task) => acceptHeartbeat(task, args),
      (task) => continueAfterHeartbeat(task),
      (task, error) => failAgentWork(task, error.message),
    );
    return {};
  });

  rpc.register(continueInspectionMethod, async (args, ctx) => {
    await tasks.startAsync(
      args,
      ctx,
      async (task) => assertWaitingForInventory(task),
      (task) =>
        continueInspection(task, inventories, ports, rules, args.inventory, args.plugin_data),
      (task, error) => failAgentWork(task, error.message),
    );
    return {};
  });
}
