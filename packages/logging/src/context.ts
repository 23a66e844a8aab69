import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written inside a request's async scope carries. */
export interface LogContext {
  requestId?: string;
  caller?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` so that every log line it causes, however deep, carries `context`. */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
