import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export const AMQP_URL = process.env.GALVANIC_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A queue-name prefix of its own for each test file, so concurrent runs never meet. */
export function randomNamespace(): string {
  return `galvanic-test-${randomBytes(6).toString('hex')}`;
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** Runs `promise` and returns what it rejected with (fails the test if it resolved). */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & { kind?: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { kind?: string; status?: number };
  }
  throw new Error('expected a rejection');
}

export { TcpProxy } from '@galvanic/testing';
