import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedfishEmulator } from '../src/index';
import { redfishRequest, startRedfishFleet } from '../src/testing';

interface Task {
  '@odata.id': string;
  TaskState: string;
  TaskStatus: string;
  PercentComplete: number;
  TaskMonitor?: string;
  Messages: { MessageId: string }[];
}

let emulator: RedfishEmulator;

beforeAll(async () => {
  emulator = await startRedfishFleet(2, {
    asyncActions: {
      actions: ['VirtualMedia.InsertMedia', 'Bios.ResetBios', 'ComputerSystem.Reset'],
      durationMs: 1000,
      retryAfterSeconds: 1,
    },
  });
});

afterAll(async () => {
  await emulator?.close();
});

async function pollUntilDone(
  monitor: string,
): Promise<{ polls: Task[]; final: Awaited<ReturnType<typeof redfishRequest>> }> {
  const polls: Task[] = [];
  for (let i = 0; i < 300; i += 1) {
    const res = await redfishRequest(emulator, 'GET', monitor);
    if (res.status !== 202) return { polls, final: res };
    expect(res.headers['retry-after']).toBe('1');
    expect(res.headers.location).toBe(monitor);
    expect(res.headers.allow).toBe('DELETE');
    polls.push(res.json as Task);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('task never finished');
}

describe('long-running actions and task monitors', () => {
  it('InsertMedia answers 202 with a task monitor; the media is in once the task is done', async () => {
    const res = await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Managers/1/VirtualMedia/Cd/Actions/VirtualMedia.InsertMedia',
      { body: { Image: 'http://192.0.2.1/boot.iso' } },
    );
    expect(res.status).toBe(202);
    const monitor = res.headers.location as string;
    expect(monitor).toMatch(/^\/redfish\/v1\/TaskService\/TaskMonitors\/\w+$/);
    expect(res.json).toMatchObject({
      '@odata.type': expect.stringMatching(/^#Task\.v1_\d+_\d+\.Task$/),
      TaskState: 'Running',
      TaskMonitor: monitor,
      Payload: { HttpOperation: 'POST', TargetUri: expect.stringContaining('InsertMedia') },
    });
    // Not done yet.
    expect(emulator.system('1').state().media.Cd?.inserted).toBe(false);
    expect(emulator.tasks()).toEqual([expect.objectContaining({ state: 'Running' })]);

    const { polls, final } = await pollUntilDone(monitor);
    expect(polls.length).toBeGreaterThan(0);
    for (const task of polls) {
      expect(task.TaskState).toBe('Running');
      expect(task.PercentComplete).toBeGreaterThanOrEqual(0);
      expect(task.PercentComplete).toBeLessThan(100);
    }
    const percents = polls.map((t) => t.PercentComplete);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(final.status).toBe(204);
    expect(emulator.system('1').state().media.Cd).toMatchObject({
      image: 'http://192.0.2.1/boot.iso',
      inserted: true,
    });

    const taskPath = (res.json as Task)['@odata.id'];
    const task = (await redfishRequest(emulator, 'GET', taskPath)).json as Task;
    expect(task).toMatchObject({ TaskState: 'Completed', TaskStatus: 'OK', PercentComplete: 100 });
    expect(task.Messages[0]?.MessageId).toContain('TaskCompletedOK');
    const tasks = (await redfishRequest(emulator, 'GET', '/redfish/v1/TaskService/Tasks')).json;
    expect(tasks).toMatchObject({ Members: expect.arrayContaining([{ '@odata.id': taskPath }]) });
  });

  it('a task whose work fails ends in Exception and its monitor answers the error', async () => {
    const target = '/redfish/v1/Managers/2/VirtualMedia/Usb/Actions/VirtualMedia.InsertMedia';
    await pollUntilDone(
      (await redfishRequest(emulator, 'POST', target, { body: { Image: 'http://a/1.img' } }))
        .headers.location as string,
    );
    const second = await redfishRequest(emulator, 'POST', target, {
      body: { Image: 'http://a/2.img' },
    });
    expect(second.status).toBe(202);
    const { final } = await pollUntilDone(second.headers.location as string);
    expect(final.status).toBe(409);
    expect(final.json).toMatchObject({ error: { code: expect.stringContaining('ResourceInUse') } });
    const task = (await redfishRequest(emulator, 'GET', (second.json as Task)['@odata.id']))
      .json as Task;
    expect(task).toMatchObject({ TaskState: 'Exception', TaskStatus: 'Critical' });
  });

  it('parameters are still checked at once: a bad request is a 400, not a task', async () => {
    const before = emulator.tasks().length;
    const res = await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Systems/1/Actions/ComputerSystem.Reset',
      {
        body: { ResetType: 'Sideways' },
      },
    );
    expect(res.status).toBe(400);
    expect(emulator.tasks()).toHaveLength(before);
  });

  it('Reset and ResetBios run as tasks too', async () => {
    const reset = await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Systems/2/Actions/ComputerSystem.Reset',
      {
        body: { ResetType: 'On' },
      },
    );
    expect(reset.status).toBe(202);
    expect(emulator.system('2').state().powerState).toBe('Off');
    expect((await pollUntilDone(reset.headers.location as string)).final.status).toBe(204);
    expect(emulator.system('2').state().powerState).toBe('On');

    const bios = await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Systems/2/Bios/Actions/Bios.ResetBios',
    );
    expect(bios.status).toBe(202);
    expect((await pollUntilDone(bios.headers.location as string)).final.status).toBe(204);
  });

  it('the Task resource itself answers 202 while running (sushy polls it), 200 once done', async () => {
    const res = await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Systems/1/Bios/Actions/Bios.ResetBios',
    );
    const taskPath = (res.json as Task)['@odata.id'];
    const running = await redfishRequest(emulator, 'GET', taskPath);
    expect(running.status).toBe(202);
    expect(running.json).toMatchObject({ TaskState: 'Running', TaskMonitor: res.headers.location });
    await pollUntilDone(res.headers.location as string);
    expect((await redfishRequest(emulator, 'GET', taskPath)).status).toBe(200);
  });

  it('DELETE on a running task monitor cancels the task', async () => {
    const res = await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Systems/1/Actions/ComputerSystem.Reset',
      {
        body: { ResetType: 'On' },
      },
    );
    const monitor = res.headers.location as string;
    expect((await redfishRequest(emulator, 'DELETE', monitor)).status).toBe(204);
    expect((await redfishRequest(emulator, 'GET', monitor)).status).toBe(404);
    const task = (await redfishRequest(emulator, 'GET', (res.json as Task)['@odata.id']))
      .json as Task;
    expect(task.TaskState).toBe('Cancelled');
    await new Promise((r) => setTimeout(r, 1100));
    expect(emulator.system('1').state().powerState).toBe('Off');
  });
});

describe('runningTaskStatus 200', () => {
  let plain: RedfishEmulator;

  beforeAll(async () => {
    plain = await startRedfishFleet(1, {
      asyncActions: { actions: ['Bios.ResetBios'], durationMs: 1000, runningTaskStatus: 200 },
    });
  });

  afterAll(async () => {
    await plain?.close();
  });

  it('answers 200 for a running Task resource; the monitor still says 202', async () => {
    const res = await redfishRequest(
      plain,
      'POST',
      '/redfish/v1/Systems/1/Bios/Actions/Bios.ResetBios',
    );
    expect(res.status).toBe(202);
    const task = await redfishRequest(plain, 'GET', (res.json as Task)['@odata.id']);
    expect(task.status).toBe(200);
    expect(task.json).toMatchObject({ TaskState: 'Running' });
    expect((await redfishRequest(plain, 'GET', res.headers.location as string)).status).toBe(202);
  });
});
