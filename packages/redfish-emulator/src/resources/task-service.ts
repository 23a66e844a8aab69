/** TaskService, Tasks and task monitors. */
import { notFound } from '../errors';
import type { Reply, RequestContext } from '../http/context';
import type { Router } from '../http/router';
import type { AsyncActionName, EmulatorModel } from '../model';
import type { TaskRecord } from '../tasks';
import { TASKS_PATH, TASK_MONITORS_PATH } from '../tasks';
import { collectionReply, ref, resourceReply } from './common';

const TASK_SERVICE_PATH = '/redfish/v1/TaskService';

export function taskResource(model: EmulatorModel, task: TaskRecord): object {
  const running = task.state === 'Running';
  const failed = task.state === 'Exception';
  return {
    '@odata.id': `${TASKS_PATH}/${task.id}`,
    '@odata.type': '#Task.v1_7_3.Task',
    Id: task.id,
    Name: task.name,
    TaskState: task.state,
    TaskStatus: failed ? 'Critical' : task.state === 'Cancelled' ? 'Warning' : 'OK',
    PercentComplete: model.tasks.percentComplete(task),
    StartTime: task.startTime,
    ...(task.endTime ? { EndTime: task.endTime } : {}),
    ...(running ? { TaskMonitor: `${TASK_MONITORS_PATH}/${task.id}` } : {}),
    HidePayload: false,
    Payload: {
      HttpOperation: task.payload.HttpOperation,
      TargetUri: task.payload.TargetUri,
      JsonBody: task.payload.JsonBody,
      HttpHeaders: [],
    },
    Messages: task.messages,
  };
}

export function registerTaskRoutes(router: Router, model: EmulatorModel): void {
  router.on('GET', TASK_SERVICE_PATH, () =>
    resourceReply({
      '@odata.id': TASK_SERVICE_PATH,
      '@odata.type': '#TaskService.v1_2_1.TaskService',
      Id: 'TaskService',
      Name: 'Task Service',
      ServiceEnabled: true,
      CompletedTaskOverWritePolicy: 'Manual',
      LifeCycleEventOnTaskStateChange: false,
      Status: { State: 'Enabled', Health: 'OK' },
      Tasks: ref(TASKS_PATH),
    }),
  );

  router.on('GET', TASKS_PATH, (ctx) =>
    collectionReply(
      ctx,
      {
        path: TASKS_PATH,
        type: 'TaskCollection',
        name: 'Task Collection',
        members: model.tasks.list().map((task) => `${TASKS_PATH}/${task.id}`),
      },
      model.settings.pageSize,
    ),
  );

  router.on('GET', `${TASKS_PATH}/{task}`, (ctx, params) => {
    const task = model.tasks.get(params.task as string);
    if (!task) throw notFound(ctx.path);
    const reply = resourceReply(taskResource(model, task));
    // sushy polls the Task's own URI when the 202 carried the Task, as iDRAC's tasks expect.
    const status = task.state === 'Running' ? model.settings.asyncActions.runningTaskStatus : 200;
    return { ...reply, status };
  });

  router.on('DELETE', `${TASKS_PATH}/{task}`, (ctx, params) => {
    if (!model.tasks.delete(params.task as string)) throw notFound(ctx.path);
    return { status: 204 };
  });

  // While the task runs: 202 with the Task. Afterwards: the operation's own response.
  router.on('GET', `${TASK_MONITORS_PATH}/{task}`, (ctx, params): Reply => {
    const task = model.tasks.get(params.task as string);
    if (!task || task.state === 'Cancelled') throw notFound(ctx.path);
    if (task.state === 'Running') {
      const retryAfter = model.settings.asyncActions.retryAfterSeconds;
      return {
        status: 202,
        body: taskResource(model, task),
        headers: {
          Location: ctx.path,
          // A running task can be cancelled (sushy reads exactly `Allow: DELETE`).
          Allow: 'DELETE',
          ...(retryAfter > 0 ? { 'Retry-After': String(retryAfter) } : {}),
        },
      };
    }
    return task.result ?? { status: 204 };
  });

  router.on('DELETE', `${TASK_MONITORS_PATH}/{task}`, (ctx, params) => {
    const task = model.tasks.get(params.task as string);
    if (!task || !model.tasks.cancel(task.id)) throw notFound(ctx.path);
    return { status: 204 };
  });
}

/** Starts `work` as a task; answers 202 with the task monitor and the Task. */
export function startTask(
  model: EmulatorModel,
  name: string,
  ctx: RequestContext,
  work: () => Promise<Reply>,
): Reply {
  const settings = model.settings.asyncActions;
  const task = model.tasks.start(
    name,
    { method: ctx.method, path: ctx.path, body: ctx.body },
    settings.durationMs,
    work,
  );
  const headers: Record<string, string> = {
    Location: `${TASK_MONITORS_PATH}/${task.id}`,
    Allow: 'DELETE',
  };
  if (settings.retryAfterSeconds > 0) headers['Retry-After'] = String(settings.retryAfterSeconds);
  return { status: 202, body: taskResource(model, task), headers };
}

/**
 * Runs an action's work now, or — when the action is configured as long-running — answers 202
 * with a task monitor and runs it when the task ends. Parameters are checked before this.
 */
export async function runAction(
  model: EmulatorModel,
  name: AsyncActionName,
  ctx: RequestContext,
  work: () => Promise<Reply>,
): Promise<Reply> {
  if (!model.settings.asyncActions.actions.has(name)) return work();
  return startTask(model, `${name} ${ctx.path}`, ctx, work);
}
