import { randomBytes } from 'node:crypto';

export const TEST_AMQP_URL =
  process.env.GALVANIC_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A namespace for queue names that no other test run uses. */
export function uniqueNamespace(prefix = 'galvanic-test'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/**
 * The RPC message key split-mode services get in tests (`[rpc] message_key`), for test clients
 * that talk to their conductors directly. Random per test process, as a real key is per deployment.
 */
export const TEST_RPC_MESSAGE_KEY: string = randomBytes(32).toString('hex');
