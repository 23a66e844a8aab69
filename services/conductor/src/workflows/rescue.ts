import {
  POWER_OFF,
  forgetAgent,
  type PowerInterface,
  type RescueInterface,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { InstanceRescueFailure } from '@galvanic/errors';
import type { NodeTask } from '../nodes/task';
import { hashRescuePassword, type RescueHashAlgorithm } from '../rescue/sha-crypt';

/** Where Ironic keeps the rescue password and its hash while a node is being rescued. */
const PASSWORD_KEYS = ['rescue_password', 'hashed_rescue_password'] as const;

/**
 * A rescue interface whose rescue ends when the rescue ramdisk's agent heartbeats (Ironic's
 * AgentRescue): the node waits in `rescue wait`, then `finalizeRescue` runs.
 */
interface AgentRescueInterface {
  readonly waitsForAgent: true;
  finalizeRescue(task: TaskContext): Promise<void>;
  cleanUp(task: TaskContext): Promise<void>;
}

function isAgentRescue(rescue: unknown): rescue is AgentRescueInterface {
  const candidate = rescue as Partial<AgentRescueInterface>;
  return (
    candidate.waitsForAgent === true &&
    typeof candidate.finalizeRescue === 'function' &&
    typeof candidate.cleanUp === 'function'
  );
}

function rescueInterfaceOf(task: NodeTask): RescueInterface {
  return task.interfaceOf<RescueInterface>('rescue');
}

/** Ironic's remove_node_rescue_password: the password and its hash leave instance_info. */
async function removeRescuePassword(task: NodeTask): Promise<void> {
  const info = task.node.instance_info;
  if (!PASSWORD_KEYS.some((key) => key in info)) return;
  const kept = Object.fromEntries(
    Object.entries(info).filter(([key]) => !(PASSWORD_KEYS as readonly string[]).includes(key)),
  );
  await task.save({ instance_info: kept });
}

/**
 * A rescue request, before the node moves: the password and its hash (`[conductor]
 * rescue_password_hash_algorithm`) go into instance_info, where the rescue interface's validation
 * looks for them; if the power or rescue interface refuses the node, they are removed again.
 */
export async function prepareRescue(
  task: NodeTask,
  password: string | undefined,
  algorithm: RescueHashAlgorithm,
): Promise<void> {
  const internal = task.context.node.driverInternalInfo;
  forgetAgent(internal);
  if (password !== undefined) {
    await task.save({
      instance_info: {
        ...task.node.instance_info,
        rescue_password: password,
        hashed_rescue_password: hashRescuePassword(password, algorithm),
      },
    });
  }
  try {
    await task.interfaceOf('power').validate(task.context);
    await rescueInterfaceOf(task).validate(task.context);
  } catch (error) {
    await removeRescuePassword(task);
    throw new InstanceRescueFailure(
      task.node.instance_uuid,
      task.node.uuid,
      `Validation failed: ${(error as Error).message}`,
    );
  }
}

/**
 * `rescuing`: the rescue interface boots the node into its rescue environment. An agent rescue
 * then waits for the ramdisk's agent (`rescue wait`); others are done. A failure removes the
 * password.
 */
export async function rescueNode(task: NodeTask): Promise<void> {
  const rescue = rescueInterfaceOf(task);
  try {
    await rescue.rescue(task.context);
  } catch (error) {
    await removeRescuePassword(task);
    throw new Error(`Failed to rescue: ${(error as Error).message}`, { cause: error });
  }
  await task.processEvent(isAgentRescue(rescue) ? 'wait' : 'done');
}

/**
 * A heartbeat in `rescue wait`: the agent sets the rescue password, the password leaves
 * instance_info, and the node is in `rescue`. A failure is Ironic's rescuing error handler: the
 * node powers off, the rescue is cleaned up, and the error goes up for the node to fail with.
 */
export async function finishRescueOnHeartbeat(task: NodeTask): Promise<void> {
  const rescue = rescueInterfaceOf(task);
  if (!isAgentRescue(rescue)) return;
  try {
    await rescue.finalizeRescue(task.context);
  } catch (error) {
    const reason = `Node failed to perform rescue operation: ${(error as Error).message}`;
    await abandonRescue(task, reason);
    throw new Error(reason, { cause: error });
  }
  await removeRescuePassword(task);
  await task.processEvent('resume');
  await task.processEvent('done');
}

/**
 * The end of a rescue that failed or timed out (Ironic's rescuing error handler): the node powers
 * off, the rescue ramdisk's files and the password go, and its agent is forgotten. Clean-up errors
 * are logged, not raised, so that the node still gets its failure state.
 */
export async function abandonRescue(task: NodeTask, reason: string): Promise<void> {
  try {
    await task.interfaceOf<PowerInterface>('power').setPowerState(task.context, POWER_OFF);
  } catch (error) {
    task.context.logger.error('power off after a failed rescue failed', {
      reason,
      error: (error as Error).message,
    });
  }
  await cleanUpRescue(task, reason);
}

/** The rescue ramdisk's files, the password and the agent are forgotten; the power is left. */
async function cleanUpRescue(task: NodeTask, reason: string): Promise<void> {
  try {
    const rescue = rescueInterfaceOf(task);
    if (isAgentRescue(rescue)) await rescue.cleanUp(task.context);
  } catch (error) {
    task.context.logger.error('rescue clean-up failed', {
      reason,
      error: (error as Error).message,
    });
  }
  forgetAgent(task.context.node.driverInternalInfo);
  await removeRescuePassword(task);
}

/**
 * `rescue wait` aborted through the API (now `rescue failed`), as Ironic's rescue abort: the
 * rescue is cleaned up, the power left as it is.
 */
export async function abortRescue(task: NodeTask): Promise<void> {
  const reason = 'Rescue operation aborted';
  await cleanUpRescue(task, reason);
  await task.save({ last_error: reason });
}

/**
 * `unrescuing`: the rescue interface brings the node back to its instance; the password and the
 * rescue ramdisk's agent are forgotten (Ironic's wipe_token_and_url).
 */
export async function unrescueNode(task: NodeTask): Promise<void> {
  try {
    await rescueInterfaceOf(task).unrescue(task.context);
  } catch (error) {
    throw new Error(`Failed to unrescue: ${(error as Error).message}`, { cause: error });
  }
  forgetAgent(task.context.node.driverInternalInfo);
  await removeRescuePassword(task);
  await task.processEvent('done');
}
