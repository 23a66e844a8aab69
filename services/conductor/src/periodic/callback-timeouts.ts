import type { NodeStore } from '@galvanic/db';
import { forgetAgent } from '@galvanic/driver-sdk';
import { NodeLocked } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import {
  CLEAN_WAIT,
  DEPLOY_WAIT,
  INSPECT_WAIT,
  RESCUE_WAIT,
  type ProvisionState,
} from '@galvanic/node-states';
import type { NodeTaskManager } from '../nodes/task-manager';
import { abandonRescue } from '../workflows/rescue';

/** `[conductor]` timeouts, in seconds, of the states that wait for a node's agent; 0 is never. */
export interface CallbackTimeouts {
  deploy_callback_timeout: number;
  clean_callback_timeout: number;
  inspect_wait_timeout: number;
  rescue_callback_timeout: number;
}

function timeoutsByState(timeouts: CallbackTimeouts): [ProvisionState, number, string][] {
  return [
    [DEPLOY_WAIT, timeouts.deploy_callback_timeout, 'deploy_callback_timeout'],
    [CLEAN_WAIT, timeouts.clean_callback_timeout, 'clean_callback_timeout'],
    [INSPECT_WAIT, timeouts.inspect_wait_timeout, 'inspect_wait_timeout'],
    [RESCUE_WAIT, timeouts.rescue_callback_timeout, 'rescue_callback_timeout'],
  ];
}

/**
 * Ironic's `_check_deploy_timeouts` and its clean, inspect and rescue siblings: a node that has
 * waited for its agent longer than its state allows fails, with the step it was on and when its
 * agent last called. The lock decides between conductors; a node that moved on meanwhile is left alone.
 */
export async function failNodesPastCallbackTimeout(
  store: NodeStore,
  tasks: NodeTaskManager,
  timeouts: CallbackTimeouts,
  logger: Logger,
): Promise<number> {
  let failed = 0;
  for (const [state, seconds, option] of timeoutsByState(timeouts)) {
    if (seconds <= 0) continue;
    const deadline = () => new Date(Date.now() - seconds * 1000);
    for (const candidate of await store.inStatesSince([state], deadline())) {
      try {
        await tasks.withExclusive(
          { node_id: candidate.id, node_uuid: candidate.uuid },
          { requestId: 'periodic-callback-timeout' },
          async (task) => {
            const updated = task.node.provision_updated_at;
            if (task.provisionState !== state || !updated || updated >= deadline()) return;
            const internal = task.context.node.driverInternalInfo;
            const lastHeartbeat = internal.agent_last_heartbeat;
            const step = (state === CLEAN_WAIT ? task.node.clean_step : task.node.deploy_step) as {
              step?: string;
            } | null;
            const reason =
              `Timeout reached while waiting for the agent of node ${task.node.uuid} in ` +
              `"${state}"${step?.step ? ` (step ${step.step})` : ''}: no callback within ` +
              `${seconds} seconds ([conductor] ${option}); ` +
              (typeof lastHeartbeat === 'string'
                ? `its agent last heartbeated at ${lastHeartbeat}.`
                : 'its agent never heartbeated.');
            // As Ironic's rescuing error handler: the node powers off, its rescue is cleaned up.
            if (state === RESCUE_WAIT) await abandonRescue(task, reason);
            forgetAgent(internal);
            await task.fail(reason);
            failed += 1;
            logger.warn('node failed: its agent did not call back in time', {
              node: task.node.uuid,
              state,
            });
          },
          1,
        );
      } catch (error) {
        if (!(error instanceof NodeLocked)) throw error;
      }
    }
  }
  return failed;
}
