import {
  GalvanicError,
  sleepUnlessAborted,
  untilAborted,
  type TaskContext,
} from '@galvanic/driver-sdk';
import {
  RedfishAuthError,
  RedfishConnectionError,
  RedfishError,
  RedfishTimeout,
  RedfishTlsError,
} from 'redfish-ts';
import type { RedfishConnection } from './connect';
import { RedfishConnectionFailure, RedfishFailure } from './errors';

/**
 * Whether trying again is safe and may help: the BMC could not be reached before anything was
 * sent, or it answered 503 (it took no action). A request it may have acted on is not repeated.
 */
function worthRetrying(error: unknown): boolean {
  if (error instanceof RedfishTlsError) return false;
  if (error instanceof RedfishConnectionError || error instanceof RedfishTimeout) {
    return !error.requestMayHaveBeenSent;
  }
  return error instanceof RedfishError && error.status === 503;
}

/**
 * Runs one Redfish operation for a task: tries again, `[redfish] connection_retry_interval`
 * seconds apart and up to `connection_attempts` times, while the BMC is unreachable or
 * unavailable; stops when the task's signal aborts; turns redfish-ts errors into Ironic's
 * RedfishError / RedfishConnectionError naming what was attempted on which node.
 */
export async function redfishCall<T>(
  task: TaskContext,
  connection: RedfishConnection,
  what: string,
  operation: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await untilAborted(operation(), task.signal);
    } catch (error) {
      if (error instanceof GalvanicError || task.signal.aborted) throw error;
      if (worthRetrying(error) && attempt < connection.attempts) {
        task.logger.warn('the BMC cannot be reached or is unavailable; trying again', {
          node: task.node.uuid,
          what,
          attempt,
          reason: error instanceof Error ? error.message : String(error),
        });
        await sleepUnlessAborted(connection.retryIntervalMs, task.signal);
        continue;
      }
      throw translate(error, task, what);
    }
  }
}

export function translate(error: unknown, task: TaskContext, what: string): Error {
  if (error instanceof GalvanicError) return error;
  const node = task.node.uuid;
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof RedfishTlsError) {
    return new RedfishConnectionFailure(
      node,
      `${what}: the BMC's TLS certificate could not be verified (check redfish_verify_ca): ${detail}`,
    );
  }
  if (error instanceof RedfishConnectionError || error instanceof RedfishTimeout) {
    return new RedfishConnectionFailure(
      node,
      `${what}: ${detail} (check redfish_address, and that the BMC is reachable)`,
      error.requestMayHaveBeenSent,
    );
  }
  if (error instanceof RedfishAuthError) {
    return new RedfishFailure(
      `${what} on node ${node}: the BMC refused the credentials (check redfish_username and redfish_password): ${detail}`,
    );
  }
  return new RedfishFailure(`${what} on node ${node}: ${detail}`);
}
