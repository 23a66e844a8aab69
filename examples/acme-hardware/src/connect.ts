import type { DriverEnvironment, TaskContext } from '@galvanic/driver-sdk';
import { AcmeClient } from './client';
import { parseDriverInfo } from './driver-info';
import { acmeOptions } from './options';

/** A client for the node's controller and the node's chassis id, from its driver_info. */
export function connect(
  env: DriverEnvironment,
  task: TaskContext,
): { client: AcmeClient; chassisId: string } {
  const { address, password, chassisId } = parseDriverInfo(task.node);
  const { request_timeout } = env.config.get(acmeOptions);
  const client = new AcmeClient({
    address,
    password,
    timeout: request_timeout,
    signal: task.signal,
  });
  return { client, chassisId };
}
