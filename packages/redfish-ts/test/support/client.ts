/** Test helpers: a client for a fake BMC with test-friendly timings. */
import { RedfishClient } from '../../src/index';
import type { RedfishClientOptions } from '../../src/index';
import { BMC_PASSWORD, BMC_USER } from './fake-bmc';
import type { FakeBmc } from './fake-bmc';

export function clientFor(
  bmc: FakeBmc,
  options: Partial<RedfishClientOptions> = {},
): RedfishClient {
  return new RedfishClient({
    address: bmc.url,
    username: BMC_USER,
    password: BMC_PASSWORD,
    requestTimeoutMs: 5_000,
    retries: 2,
    retryBaseDelayMs: 5,
    maxRetryDelayMs: 2_000,
    taskPollIntervalMs: 10,
    ...options,
  });
}
