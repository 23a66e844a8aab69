import type { DriverEnvironment, TaskContext } from '@galvanic/driver-sdk';
import type { Bmc } from 'ipmi-ts';
import { sharedIpmiClient } from './client';
import { parseDriverInfo, type IpmiDriverInfo } from './driver-info';
import { ipmiOptions } from './options';

export interface IpmiConnection {
  readonly bmc: Bmc;
  readonly info: IpmiDriverInfo;
  /** `[ipmi] command_retry_timeout`: how long a busy BMC is asked again. */
  readonly retrySeconds: number;
}

/** Checks the node's driver_info with the conductor's `[ipmi]` policy. */
export function driverInfoOf(env: DriverEnvironment, task: TaskContext): IpmiDriverInfo {
  const { allow_cipher_suite_zero } = env.config.get(ipmiOptions);
  return parseDriverInfo(task.node, { allowCipherSuiteZero: allow_cipher_suite_zero });
}

/** The shared client's handle for the node's BMC: the same handle, and session, every call. */
export function connect(env: DriverEnvironment, task: TaskContext): IpmiConnection {
  const info = driverInfoOf(env, task);
  const options = env.config.get(ipmiOptions);
  const attempts = Math.max(
    1,
    Math.floor(options.command_retry_timeout / options.request_timeout + 1e-9),
  );
  const bmc = sharedIpmiClient(env).bmc({
    host: info.address,
    port: info.port,
    username: info.username,
    password: info.password,
    kg: info.kg,
    protocol: info.protocol,
    cipherSuite: info.cipherSuite,
    allowCipherSuiteZero: options.allow_cipher_suite_zero,
    privilege: info.privilege,
    timeoutMs: options.request_timeout * 1000,
    retries: attempts - 1,
    minCommandIntervalMs: options.min_command_interval * 1000,
    idleTimeoutMs: options.session_idle_timeout * 1000,
  });
  return { bmc, info, retrySeconds: options.command_retry_timeout };
}
