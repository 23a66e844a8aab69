import {
  GalvanicError,
  sleepUnlessAborted,
  untilAborted,
  type TaskContext,
} from '@galvanic/driver-sdk';
import {
  IpmiAuthenticationError,
  IpmiCompletionCodeError,
  IpmiError,
  IpmiSessionError,
  IpmiTimeoutError,
  IpmiUnsupportedCipherError,
  type Bmc,
} from 'ipmi-ts';
import type { IpmiConnection } from './connect';
import { IPMIFailure } from './errors';

/** Completion codes of a BMC that cannot take the command now, but will (Ironic retries them too). */
const BUSY_CODES = new Set([0xc0, 0xd2]);
/** RMCP+ status codes of a BMC out of session slots. */
const NO_SESSION_SLOT = new Set([0x01, 0x0b]);
const BUSY_RETRY_MS = 500;

function busy(error: unknown): boolean {
  if (error instanceof IpmiCompletionCodeError) return BUSY_CODES.has(error.code);
  if (error instanceof IpmiSessionError) return NO_SESSION_SLOT.has(error.statusCode ?? -1);
  return false;
}

/**
 * Runs one IPMI operation for a task: asks a busy BMC again until `[ipmi] command_retry_timeout`
 * runs out, gives up when the task's signal aborts, and turns ipmi-ts errors into IPMIFailure
 * naming what was attempted on which node and BMC.
 */
export async function ipmiCall<T>(
  task: TaskContext,
  { bmc, retrySeconds }: IpmiConnection,
  what: string,
  operation: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + retrySeconds * 1000;
  for (;;) {
    try {
      return await untilAborted(operation(), task.signal);
    } catch (error) {
      if (error instanceof GalvanicError || task.signal.aborted) throw error;
      if (busy(error) && Date.now() + BUSY_RETRY_MS < deadline) {
        task.logger.debug('the BMC is busy; asking again', { node: task.node.uuid, what });
        await sleepUnlessAborted(BUSY_RETRY_MS, task.signal);
        continue;
      }
      throw new IPMIFailure(`${what} on node ${task.node.uuid}: ${explain(error, bmc)}`);
    }
  }
}

function explain(error: unknown, bmc: Bmc): string {
  const target = bmc.target;
  if (error instanceof IpmiAuthenticationError) {
    return `the BMC at ${target} refused the credentials (check ipmi_username, ipmi_password and ipmi_hex_kg_key): ${reason(error)}`;
  }
  if (error instanceof IpmiTimeoutError) {
    const suite =
      bmc.protocol === '2.0' && bmc.cipherSuite !== 3
        ? `, and that it supports cipher suite ${bmc.cipherSuite}`
        : '';
    return `no answer from the BMC at ${target} after ${error.attempts} attempts (check ipmi_address and ipmi_port, and that the BMC is reachable${suite})`;
  }
  if (error instanceof IpmiCompletionCodeError) {
    return `the BMC at ${target} answered completion code 0x${error.code.toString(16).toUpperCase().padStart(2, '0')} (${error.meaning})`;
  }
  if (error instanceof IpmiUnsupportedCipherError) {
    return `cipher suite ${error.cipherSuite} cannot be used with the BMC at ${target}: ${reason(error)}`;
  }
  if (error instanceof IpmiError) return `${reason(error)} (${target})`;
  return error instanceof Error ? error.message : String(error);
}

/** An ipmi-ts message without the " (host:port)" it ends with; the caller names the BMC. */
function reason(error: IpmiError): string {
  const suffix = error.target ? ` (${error.target})` : '';
  return suffix && error.message.endsWith(suffix)
    ? error.message.slice(0, -suffix.length)
    : error.message;
}
