import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { HeartbeatArgs } from '@galvanic/conductor-api';
import type { InspectionRuleStore, NodeInventoryStore, PortStore } from '@galvanic/db';
import {
  AGENT_LAST_HEARTBEAT_KEY,
  AGENT_TOKEN_KEY,
  AGENT_URL_KEY,
  AGENT_VERIFY_CA_KEY,
  AGENT_VERSION_KEY,
  forgetAgent,
  isAgentStepsInterface,
  isInventoryInspectInterface,
  type InterfaceKind,
} from '@galvanic/driver-sdk';
import { InvalidParameterValue, InvalidState, NodeNotFound } from '@galvanic/errors';
import { MASK } from '@galvanic/logging';
import { CLEAN_WAIT, DEPLOY_WAIT, INSPECT_WAIT, RESCUE_WAIT } from '@galvanic/node-states';
import { resumeSteps } from '../nodes/steps';
import { lockFence, type NodeTask } from '../nodes/task';
import { endCleaning } from './cleaning';
import { endDeploy } from './deployments';
import { finishInspection } from './inspection';
import { finishRescueOnHeartbeat } from './rescue';

/** Ironic's agent_version when an agent does not say (the last release before it did). */
const UNVERSIONED_AGENT = '3.0.0';

/**
 * Ironic's get_node_with_token: the node gets an agent token at its first lookup, and the token
 * is answered once; later lookups get the mask, so only the first caller can heartbeat.
 */
export async function issueAgentToken(task: NodeTask): Promise<string> {
  const internal = task.context.node.driverInternalInfo;
  if (typeof internal[AGENT_TOKEN_KEY] === 'string') {
    task.context.logger.warn('agent token already issued; lookup answered without it');
    return MASK;
  }
  const token = randomBytes(32).toString('base64url');
  internal[AGENT_TOKEN_KEY] = token;
  await task.save({});
  return token;
}

function sameSecret(known: string, given: string): boolean {
  const a = Buffer.from(known);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The synchronous part of a heartbeat, under the node's lock: a node without a token, or a
 * heartbeat with another one, is refused in Ironic's words; the agent's address and version are
 * recorded.
 */
export async function acceptHeartbeat(task: NodeTask, heartbeat: HeartbeatArgs): Promise<void> {
  const internal = task.context.node.driverInternalInfo;
  const known = internal[AGENT_TOKEN_KEY];
  if (
    typeof known !== 'string' ||
    heartbeat.agent_token === undefined ||
    !sameSecret(known, heartbeat.agent_token)
  ) {
    task.context.logger.warn('agent heartbeat with an invalid or missing token refused');
    throw new InvalidParameterValue('Invalid or missing agent token received.');
  }
  internal[AGENT_URL_KEY] = heartbeat.callback_url;
  internal[AGENT_VERSION_KEY] = heartbeat.agent_version ?? UNVERSIONED_AGENT;
  internal[AGENT_LAST_HEARTBEAT_KEY] = new Date().toISOString();
  if (heartbeat.agent_verify_ca !== undefined) {
    internal[AGENT_VERIFY_CA_KEY] = heartbeat.agent_verify_ca;
  }
  await task.save({});
}

/**
 * What a heartbeat moves on, after it was answered: in `wait call-back` and `clean wait` the
 * interface of the waiting step tells whether it is done (sending the agent its next command if
 * needed), and the remaining steps run when it is; in `rescue wait` the rescue is finalized.
 * Other states only record the heartbeat.
 */
export async function continueAfterHeartbeat(task: NodeTask): Promise<void> {
  const state = task.provisionState;
  if (state === RESCUE_WAIT) return finishRescueOnHeartbeat(task);
  if (state !== DEPLOY_WAIT && state !== CLEAN_WAIT) return;
  const kind = state === DEPLOY_WAIT ? 'deploy' : 'clean';
  const current = (kind === 'deploy' ? task.node.deploy_step : task.node.clean_step) as {
    interface?: string;
  } | null;
  if (!current?.interface) return;
  const implementation: unknown = task.interfaceOf(current.interface as InterfaceKind);
  if (!isAgentStepsInterface(implementation)) return;
  const outcome = await implementation.continueOnHeartbeat(task.context);
  if (outcome === 'waiting') {
    await task.save({});
    return;
  }
  if ((await resumeSteps(task, kind)) !== 'done') return; // waiting again, or held (API 1.85)
  if (kind === 'deploy') await endDeploy(task);
  else await endCleaning(task, true);
}

/**
 * A failure of work an agent drove: the agent is forgotten (its token no longer heartbeats), and
 * the node goes to its failure state with the reason.
 */
export async function failAgentWork(task: NodeTask, reason: string): Promise<void> {
  forgetAgent(task.context.node.driverInternalInfo);
  await task.fail(reason);
}

/** Refuses inventory for a node that is not waiting for it, as Ironic does. */
export function assertWaitingForInventory(task: NodeTask): void {
  if (task.provisionState !== INSPECT_WAIT) {
    throw new InvalidState(
      `Node ${task.node.uuid} is in the provision state ${task.provisionState}, not waiting for ` +
        'inspection data (inspect wait).',
    );
  }
}

/**
 * The inventory an agent posted: kept as the node's, then the inspect interface reads the
 * node's properties and NICs from it and shuts the ramdisk down, the inspection rules run
 * against the inventory and plugin data, and inspection ends.
 */
export async function continueInspection(
  task: NodeTask,
  inventories: NodeInventoryStore,
  ports: PortStore,
  rules: InspectionRuleStore,
  inventory: Record<string, unknown>,
  pluginData: Record<string, unknown>,
): Promise<void> {
  const lock = task.lock;
  if (!lock) throw new Error('inspection needs the exclusive lock');
  if (!(await inventories.save(task.node.id, inventory, pluginData, lockFence(lock)))) {
    if (!lock.held) throw lock.signal.reason as Error;
    throw new NodeNotFound(task.node.uuid);
  }
  const inspect: unknown = task.interfaceOf('inspect');
  if (!isInventoryInspectInterface(inspect)) {
    throw new InvalidParameterValue(
      `The inspect interface ${task.context.driver.interfaceNames.inspect} of node ` +
        `${task.node.uuid} does not take an agent's inventory.`,
    );
  }
  const found = await inspect.processInventory(task.context, inventory);
  forgetAgent(task.context.node.driverInternalInfo);
  await finishInspection(task, ports, rules, found, { inventory, pluginData });
}
