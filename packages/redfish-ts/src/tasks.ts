/**
 * Long-running operations: a 202 answer with a `Location` task monitor is polled (waiting as long
 * as `Retry-After` asks) until the operation ends, within an overall timeout.
 */
import type { Connection, RedfishResponse } from './connection';
import {
  RedfishAuthError,
  RedfishError,
  RedfishTaskError,
  RedfishTimeout,
  summarizeMessages,
} from './errors';
import type { Task, TaskState } from './resources';
import { parseRetryAfter } from './transport';

export interface TaskWaitOptions {
  /** Overall bound on waiting for the operation, in milliseconds. */
  readonly timeoutMs: number;
  /** Poll interval when the BMC sends no `Retry-After`. */
  readonly pollIntervalMs: number;
  /** Upper bound on one wait, whatever `Retry-After` says. */
  readonly maxPollIntervalMs: number;
}

export interface TaskOutcome {
  /** Status of the monitor's final answer. */
  readonly status: number;
  /** The final answer's body: the operation's result, or the Task resource. */
  readonly body: unknown;
  /** The Task resource when the final answer was one. */
  readonly task: Task | undefined;
}

const FAILED_STATES: ReadonlySet<TaskState> = new Set(['Exception', 'Killed', 'Cancelled']);
const FINISHED_STATES: ReadonlySet<TaskState> = new Set([
  'Completed',
  'Exception',
  'Killed',
  'Cancelled',
]);

function asTask(body: unknown): Task | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const state = (body as { TaskState?: unknown }).TaskState;
  return typeof state === 'string' ? (body as Task) : undefined;
}

/** Waits for the operation a 202 answer started; returns the monitor's final answer. */
export async function waitForTask(
  conn: Connection,
  accepted: RedfishResponse,
  options: TaskWaitOptions,
): Promise<TaskOutcome> {
  const monitor = accepted.location ?? taskMonitorOf(conn, accepted.body);
  if (!monitor) {
    // Nothing to poll: the BMC accepted the operation without telling us how to follow it.
    return { status: accepted.status, body: accepted.body, task: asTask(accepted.body) };
  }
  const deadline = Date.now() + options.timeoutMs;
  let wait = nextWait(accepted, options);
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new RedfishTimeout(`task did not finish within ${options.timeoutMs} ms`, {
        target: conn.target,
        method: 'GET',
        path: monitor,
        timeoutMs: options.timeoutMs,
        requestMayHaveBeenSent: true,
      });
    }
    await delay(Math.min(wait, remaining));
    let response: RedfishResponse;
    try {
      response = await conn.request('GET', monitor, { retryOnStatus: false });
    } catch (err) {
      throw taskFailure(err, monitor, conn.target);
    }
    const task = asTask(response.body);
    if (response.status === 202 || (task?.TaskState && !FINISHED_STATES.has(task.TaskState))) {
      wait = nextWait(response, options);
      continue;
    }
    if (
      task &&
      (FAILED_STATES.has(task.TaskState as TaskState) || task.TaskStatus === 'Critical')
    ) {
      throw failedTask(conn, task, monitor, response.status);
    }
    return { status: response.status, body: response.body, task };
  }
}

/** Without a `Location`, the Task in the body names its monitor (or is itself pollable). */
function taskMonitorOf(conn: Connection, body: unknown): string | undefined {
  const task = asTask(body);
  const link = typeof task?.TaskMonitor === 'string' ? task.TaskMonitor : task?.['@odata.id'];
  return typeof link === 'string' ? conn.resolvePath(link) : undefined;
}

function nextWait(response: RedfishResponse, options: TaskWaitOptions): number {
  const asked = parseRetryAfter(response.headers['retry-after']);
  return Math.min(asked ?? options.pollIntervalMs, options.maxPollIntervalMs);
}

function failedTask(
  conn: Connection,
  task: Task,
  monitor: string,
  status: number,
): RedfishTaskError {
  const messages = conn.redactor.messages(Array.isArray(task.Messages) ? task.Messages : []);
  const detail = summarizeMessages(messages);
  const id = task.Id ? ` ${task.Id}` : '';
  const outcome = `${task.TaskState}/${task.TaskStatus ?? '-'}`;
  return new RedfishTaskError(
    conn.redactor.text(`task${id} ended ${outcome}${detail ? `: ${detail}` : ''}`),
    {
      target: conn.target,
      method: 'GET',
      path: monitor,
      status,
      messages,
      taskState: task.TaskState,
      taskStatus: task.TaskStatus,
    },
  );
}

/** An error answer from the monitor is the operation's failure; transport errors stay as they are. */
function taskFailure(err: unknown, monitor: string, target: string): unknown {
  if (
    !(err instanceof RedfishError) ||
    err instanceof RedfishAuthError ||
    err.status === undefined
  ) {
    return err;
  }
  const detail = summarizeMessages(err.messages) || `HTTP ${err.status}`;
  return new RedfishTaskError(`task failed: ${detail}`, {
    target,
    method: 'GET',
    path: monitor,
    status: err.status,
    code: err.code,
    messages: err.messages,
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
