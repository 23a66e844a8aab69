import { randomBytes } from 'node:crypto';

export const TEST_AMQP_URL =
  process.env.GALVANIC_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A namespace for queue names that no other test run uses. */
export function uniqueNamespace(prefix = 'galvanic-test'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}
