/**
 * Long-running operations (DSP0266 "Asynchronous operations"): an accepted action becomes a Task
 * that runs for a set time, then performs the work; its task monitor answers 202 with the Task
 * while it runs, then the operation's own response.
 */
import { randomBytes } from 'node:crypto';
import type { RedfishMessage } from './errors';
import { RedfishError, baseMessage } from './errors';
import type { Reply } from './http/context';
import { errorReply } from './http/respond';

export type TaskState = 'Running' | 'Completed' | 'Exception' | 'Cancelled';

export interface TaskRecord {
  readonly id: string;
  readonly name: string;
  readonly startTime: string;
  readonly durationMs: number;
  readonly payload: {
    readonly HttpOperation: string;
    readonly TargetUri: string;
    readonly JsonBody: string;
  };
  state: TaskState;
  endTime: string | undefined;
  messages: RedfishMessage[];
  /** The operation's response, once it ended. */
  result: Reply | undefined;
}

export const TASKS_PATH = '/redfish/v1/TaskService/Tasks';
export const TASK_MONITORS_PATH = '/redfish/v1/TaskService/TaskMonitors';

export class TaskStore {
  readonly #tasks = new Map<string, TaskRecord>();
  readonly #started = new Map<string, number>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  start(
    name: string,
    request: { method: string; path: string; body: unknown },
    durationMs: number,
    work: () => Promise<Reply>,
  ): TaskRecord {
    const id = randomBytes(6).toString('hex');
    const now = this.#now();
    const task: TaskRecord = {
      id,
      name,
      startTime: new Date(now).toISOString(),
      durationMs,
      payload: {
        HttpOperation: request.method,
        TargetUri: request.path,
        JsonBody: request.body === undefined ? '' : JSON.stringify(request.body),
      },
      state: 'Running',
      endTime: undefined,
      messages: [baseMessage('TaskStarted', [id])],
      result: undefined,
    };
    this.#tasks.set(id, task);
    this.#started.set(id, now);
    this.#timers.set(
      id,
      setTimeout(() => void this.#finish(task, work), Math.max(0, durationMs)),
    );
    return task;
  }

  get(id: string): TaskRecord | undefined {
    return this.#tasks.get(id);
  }

  list(): TaskRecord[] {
    return [...this.#tasks.values()];
  }

  percentComplete(task: TaskRecord): number {
    if (task.state !== 'Running') return 100;
    const elapsed = this.#now() - (this.#started.get(task.id) ?? this.#now());
    const fraction = task.durationMs > 0 ? elapsed / task.durationMs : 1;
    return Math.min(99, Math.max(0, Math.floor(fraction * 100)));
  }

  /** Cancels a running task; false if it was not running. */
  cancel(id: string): boolean {
    const task = this.#tasks.get(id);
    if (!task || task.state !== 'Running') return false;
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    task.state = 'Cancelled';
    task.endTime = new Date(this.#now()).toISOString();
    task.messages = [baseMessage('TaskCancelled', [id])];
    return true;
  }

  delete(id: string): boolean {
    this.cancel(id);
    this.#started.delete(id);
    return this.#tasks.delete(id);
  }

  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  async #finish(task: TaskRecord, work: () => Promise<Reply>): Promise<void> {
    this.#timers.delete(task.id);
    if (task.state !== 'Running') return;
    let result: Reply;
    try {
      result = await work();
    } catch (error) {
      result = errorReply(
        error instanceof RedfishError ? error : new RedfishError(500, baseMessage('InternalError')),
      );
    }
    if (task.state !== 'Running') return;
    const failed = result.status >= 400;
    task.result = result;
    task.state = failed ? 'Exception' : 'Completed';
    task.endTime = new Date(this.#now()).toISOString();
    task.messages = failed
      ? [baseMessage('TaskAborted', [task.id]), ...extendedInfoOf(result)]
      : [baseMessage('TaskCompletedOK', [task.id])];
  }
}

function extendedInfoOf(reply: Reply): RedfishMessage[] {
  const body = reply.body as { error?: { '@Message.ExtendedInfo'?: RedfishMessage[] } } | undefined;
  return [...(body?.error?.['@Message.ExtendedInfo'] ?? [])];
}
