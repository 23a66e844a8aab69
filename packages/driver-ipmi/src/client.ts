import type { DriverEnvironment } from '@galvanic/driver-sdk';
import { IpmiClient } from 'ipmi-ts';
import { ipmiOptions } from './options';

/**
 * One client per conductor process, so every node's BMC session is kept and reused between
 * tasks, and all BMCs share a few UDP sockets. The interfaces create it on first use: the
 * conductor builds them once and they all see the same `[ipmi]` options.
 */
let shared: IpmiClient | undefined;

export function sharedIpmiClient(env: DriverEnvironment): IpmiClient {
  shared ??= new IpmiClient({
    maxSockets: env.config.get(ipmiOptions).max_sockets,
    logger: env.logger,
  });
  return shared;
}

/** Closes every BMC session and the sockets; the next use creates a new client. */
export async function closeSharedIpmiClient(): Promise<void> {
  const client = shared;
  shared = undefined;
  await client?.close();
}
