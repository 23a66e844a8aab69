import { silentLogger } from '@galvanic/logging';
import { NodeLocker, type NodeLockerOptions, type NodeRef } from '../src';

export function node(id: number): NodeRef {
  return { id, ident: `1be26c0b-03f2-4d2e-ae87-${String(id).padStart(12, '0')}` };
}

export async function startLocker(
  connectionString: string,
  host: string,
  options: Partial<NodeLockerOptions> = {},
): Promise<NodeLocker> {
  const locker = new NodeLocker({
    connectionString,
    host,
    logger: silentLogger(),
    retryAttempts: 1,
    retryIntervalMs: 50,
    reconnectMinDelayMs: 20,
    ...options,
  });
  await locker.start();
  return locker;
}

/** Retries `fn` until it resolves or `timeoutMs` passes. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
