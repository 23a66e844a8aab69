import type { DriverEnvironment, TaskContext } from '@galvanic/driver-sdk';
import { RedfishClientCache, type RedfishClient, type RedfishSystem } from 'redfish-ts';
import { parseDriverInfo, type RedfishDriverInfo } from './driver-info';
import { redfishOptions } from './options';

/**
 * One client cache per conductor process: one RedfishClient (session, keep-alive pool) per BMC,
 * reused by every task and every redfish interface. Created on first use, closed when the
 * conductor stops (each interface's close() ends it; the next use would create a new one).
 */
let shared: RedfishClientCache | undefined;

function clientCache(env: DriverEnvironment): RedfishClientCache {
  if (!shared) {
    const options = env.config.get(redfishOptions);
    shared = new RedfishClientCache({
      maxClients: options.connection_cache_size,
      defaults: {
        maxInFlight: options.max_in_flight,
        requestTimeoutMs: options.request_timeout * 1000,
        logger: env.logger,
      },
    });
  }
  return shared;
}

/** Closes every client, deleting their BMC sessions. */
export async function closeRedfishClients(): Promise<void> {
  const cache = shared;
  shared = undefined;
  await cache?.close();
}

export interface RedfishConnection {
  readonly info: RedfishDriverInfo;
  readonly client: RedfishClient;
  readonly system: RedfishSystem;
  /** `[redfish] connection_attempts` and `connection_retry_interval`. */
  readonly attempts: number;
  readonly retryIntervalMs: number;
}

/** Checks the node's driver_info with the conductor's `[redfish]` defaults. */
export function driverInfoOf(env: DriverEnvironment, task: TaskContext): RedfishDriverInfo {
  return parseDriverInfo(task.node, env.config.get(redfishOptions).auth_type);
}

/** The cached client of the node's BMC and a handle on its System. */
export function connect(env: DriverEnvironment, task: TaskContext): RedfishConnection {
  const info = driverInfoOf(env, task);
  const options = env.config.get(redfishOptions);
  const client = clientCache(env).get({
    address: info.address,
    username: info.username,
    password: info.password,
    authType: info.authType,
    verifyCa: info.verifyCa,
  });
  return {
    info,
    client,
    system: client.system(info.systemId),
    attempts: options.connection_attempts,
    retryIntervalMs: options.connection_retry_interval * 1000,
  };
}
