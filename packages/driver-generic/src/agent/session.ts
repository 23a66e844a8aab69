import {
  AGENT_TOKEN_KEY,
  AGENT_URL_KEY,
  InvalidParameterValue,
  POWER_OFF,
  STEP_WAIT,
  TemporaryFailure,
  forgetAgent,
  type ConfigReader,
  type HeartbeatOutcome,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { collaborators } from '../collaborators';
import { AgentClient, agentErrorText } from './client';
import { agentOptions } from './options';

/** The driver_internal_info key of the agent command a waiting step is on. */
const PENDING_KEY = 'agent_pending_command';

interface PendingCommand {
  name: string;
  params: Record<string, unknown>;
  /** The agent's id for the command once sent; absent while the agent is not up yet. */
  id?: string;
}

function pendingOf(task: TaskContext): PendingCommand | undefined {
  const pending = task.node.driverInternalInfo[PENDING_KEY];
  return typeof pending === 'object' && pending !== null ? (pending as PendingCommand) : undefined;
}

/** Whether the node's agent has looked it up and heartbeated (its address is known). */
export function agentIsUp(task: TaskContext): boolean {
  return typeof task.node.driverInternalInfo[AGENT_URL_KEY] === 'string';
}

/** A client for the node's agent, at the address its heartbeats gave. */
export function agentClient(task: TaskContext, config: ConfigReader): AgentClient {
  const url = task.node.driverInternalInfo[AGENT_URL_KEY];
  if (typeof url !== 'string') {
    throw new TemporaryFailure(`Node ${task.node.uuid} has no agent heartbeating yet.`);
  }
  const token = task.node.driverInternalInfo[AGENT_TOKEN_KEY];
  return new AgentClient({
    url,
    token: typeof token === 'string' ? token : undefined,
    timeoutMs: config.get(agentOptions).command_timeout * 1000,
    signal: task.signal,
  });
}

/**
 * The kernel parameters of the deploy ramdisk: where the agent finds the API (Ironic's
 * `ipa-api-url`) and, for inspection, where it posts its inventory.
 */
export function ramdiskParams(
  config: ConfigReader,
  extra: Record<string, string> = {},
): Record<string, string> {
  const apiUrl = config.get(agentOptions).api_url;
  return { ...(apiUrl ? { 'ipa-api-url': apiUrl } : {}), ...extra };
}

/** Boots the node into the deploy ramdisk: the boot interface prepares it, the node reboots. */
export async function bootRamdisk(
  task: TaskContext,
  config: ConfigReader,
  extra: Record<string, string> = {},
): Promise<void> {
  const { boot, power } = collaborators(task);
  if (!boot.prepareRamdisk) {
    throw new InvalidParameterValue(
      `Node ${task.node.uuid}: its boot interface cannot boot a deploy ramdisk.`,
    );
  }
  await boot.prepareRamdisk(task, ramdiskParams(config, extra));
  // As Ironic on a reboot: the agent that comes up looks the node up afresh and gets a new token.
  forgetAgent(task.node.driverInternalInfo);
  await power.reboot(task);
}

/** Shuts the ramdisk down: the boot interface forgets it and the node powers off. */
export async function shutDownRamdisk(task: TaskContext): Promise<void> {
  const { boot, power } = collaborators(task);
  await boot.cleanUpRamdisk?.(task);
  await power.setPowerState(task, POWER_OFF);
}

async function send(
  task: TaskContext,
  config: ConfigReader,
  pending: PendingCommand,
): Promise<void> {
  const status = await agentClient(task, config).execute(pending.name, pending.params, false);
  if (status.command_status === 'FAILED') {
    throw new InvalidParameterValue(
      `Agent command ${pending.name} failed: ${agentErrorText(status.command_error)}`,
    );
  }
  task.node.driverInternalInfo[PENDING_KEY] = { ...pending, id: status.id };
  task.logger.info('agent command started', { command: pending.name, id: status.id });
}

/**
 * A step the agent runs: the command is sent now when the agent is up, else the node boots the
 * ramdisk and the command goes with the agent's first heartbeat. Either way the step waits.
 */
export async function agentStep(
  task: TaskContext,
  config: ConfigReader,
  name: string,
  params: Record<string, unknown>,
): Promise<typeof STEP_WAIT> {
  const pending: PendingCommand = { name, params };
  task.node.driverInternalInfo[PENDING_KEY] = pending;
  if (agentIsUp(task)) await send(task, config, pending);
  else await bootRamdisk(task, config);
  return STEP_WAIT;
}

/**
 * A heartbeat while a step waits: an unsent command is sent; a sent one is looked up in the
 * agent's command list. A step with no command (it waited for the agent to come up) is done.
 */
export async function commandOutcome(
  task: TaskContext,
  config: ConfigReader,
): Promise<HeartbeatOutcome> {
  const pending = pendingOf(task);
  if (!pending) return 'step done';
  if (pending.id === undefined) {
    await send(task, config, pending);
    return 'waiting';
  }
  const commands = await agentClient(task, config).commands();
  const found = commands.find((command) => command.id === pending.id);
  if (!found) {
    delete task.node.driverInternalInfo[PENDING_KEY];
    throw new InvalidParameterValue(
      `The agent of node ${task.node.uuid} no longer knows its command ${pending.name} (${pending.id}); it may have restarted.`,
    );
  }
  if (found.command_status === 'RUNNING' || found.command_status === 'VERIFYING') return 'waiting';
  delete task.node.driverInternalInfo[PENDING_KEY];
  if (found.command_status === 'FAILED') {
    throw new InvalidParameterValue(
      `Agent command ${pending.name} failed: ${agentErrorText(found.command_error)}`,
    );
  }
  task.logger.info('agent command succeeded', { command: pending.name, id: pending.id });
  return 'step done';
}

/** Forgets an agent command the node waited on (a failed or torn-down run). */
export function forgetPendingCommand(task: TaskContext): void {
  delete task.node.driverInternalInfo[PENDING_KEY];
}
