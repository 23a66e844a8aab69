import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedfishTaskError, RedfishTimeout } from '../src/index';
import type { RedfishClient } from '../src/index';
import { clientFor } from './support/client';
import { FakeBmc, json } from './support/fake-bmc';
import type { RecordedRequest } from './support/fake-bmc';
import { RESET_TARGET, SYSTEM } from './support/mockup';

const MONITOR = '/redfish/v1/TaskService/TaskMonitors/545';

let bmc: FakeBmc;
let client: RedfishClient;

function task(state: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    '@odata.type': '#Task.v1_7_0.Task',
    '@odata.id': '/redfish/v1/TaskService/Tasks/545',
    Id: '545',
    Name: 'Task 545',
    TaskState: state,
    TaskStatus: status,
    TaskMonitor: MONITOR,
    ...extra,
  };
}

/** The Reset target answers 202 + Location; the monitor answers from `polls` in turn. */
function longRunningReset(
  polls: Array<(res: Parameters<typeof json>[0]) => void>,
  retryAfter = '0',
) {
  const seen: RecordedRequest[] = [];
  bmc.intercept((req, res) => {
    if (req.method === 'POST' && req.path === RESET_TARGET) {
      json(res, 202, task('New', 'OK'), { Location: MONITOR, 'Retry-After': retryAfter });
      return true;
    }
    if (req.path === MONITOR) {
      seen.push(req);
      const answer = polls[Math.min(seen.length - 1, polls.length - 1)];
      answer?.(res);
      return true;
    }
    return false;
  });
  return seen;
}

beforeEach(async () => {
  bmc = await FakeBmc.start();
  client = clientFor(bmc, { authType: 'basic' });
});

afterEach(async () => {
  await client.close();
  await bmc.close();
});

describe('task monitors', () => {
  it('polls a 202 task monitor until the task completes', async () => {
    const polls = longRunningReset([
      (res) =>
        json(res, 202, task('Running', 'OK', { PercentComplete: 30 }), { 'Retry-After': '0' }),
      (res) => json(res, 202, task('Running', 'OK', { PercentComplete: 80 })),
      (res) => json(res, 200, task('Completed', 'OK', { PercentComplete: 100 })),
    ]);
    const result = await client.system().reset('ForceRestart');
    expect(polls).toHaveLength(3);
    expect(result.status).toBe(200);
    expect(result.task?.TaskState).toBe('Completed');
    expect(bmc.requestsTo('POST', RESET_TARGET)).toHaveLength(1);
  });

  it('waits as long as Retry-After asks before polling', async () => {
    const polls = longRunningReset([(res) => json(res, 200, task('Completed', 'OK'))], '1');
    await client.system().reset('On');
    const posted = bmc.requestsTo('POST', RESET_TARGET)[0];
    expect(polls[0]!.at - posted!.at).toBeGreaterThanOrEqual(900);
  });

  it('returns the operation result the monitor answers once done', async () => {
    longRunningReset([(res) => res.writeHead(204).end()]);
    const result = await client.system().reset('On');
    expect(result.status).toBe(204);
    expect(result.task).toBeUndefined();
  });

  it('turns a task that ends in Exception into RedfishTaskError with its messages', async () => {
    longRunningReset([
      (res) =>
        json(
          res,
          200,
          task('Exception', 'Critical', {
            Messages: [
              {
                MessageId: 'Base.1.8.InternalError',
                Message: 'The power controller did not respond.',
              },
            ],
          }),
        ),
    ]);
    const err = (await client
      .system()
      .reset('On')
      .catch((e: unknown) => e)) as RedfishTaskError;
    expect(err).toBeInstanceOf(RedfishTaskError);
    expect(err.taskState).toBe('Exception');
    expect(err.messages[0]?.MessageId).toBe('Base.1.8.InternalError');
    expect(err.message).toContain('The power controller did not respond.');
  });

  it('turns an error answer from the monitor into RedfishTaskError', async () => {
    const polls = longRunningReset([
      (res) => json(res, 500, { error: { code: 'Base.1.8.InternalError', message: 'boom' } }),
    ]);
    const err = (await client
      .system()
      .reset('On')
      .catch((e: unknown) => e)) as RedfishTaskError;
    expect(err).toBeInstanceOf(RedfishTaskError);
    expect(err.status).toBe(500);
    expect(err.code).toBe('Base.1.8.InternalError');
    // The monitor's error answer is the outcome, not a hiccup: it is not asked again.
    expect(polls).toHaveLength(1);
  });

  it('gives up with RedfishTimeout after the task timeout', async () => {
    await client.close();
    client = clientFor(bmc, { authType: 'basic', taskTimeoutMs: 300 });
    const polls = longRunningReset([(res) => json(res, 202, task('Running', 'OK'))]);
    const err = await client
      .system()
      .reset('On')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedfishTimeout);
    expect((err as RedfishTimeout).timeoutMs).toBe(300);
    expect(polls.length).toBeGreaterThan(1);
  });

  it('finds the monitor in the Task body when the 202 has no Location', async () => {
    const polls: RecordedRequest[] = [];
    bmc.intercept((req, res) => {
      if (req.method === 'POST' && req.path === RESET_TARGET) {
        json(res, 202, task('New', 'OK'));
        return true;
      }
      if (req.path === MONITOR) {
        polls.push(req);
        json(res, 200, task('Completed', 'OK'));
        return true;
      }
      return false;
    });
    expect((await client.system().reset('On')).task?.TaskState).toBe('Completed');
    expect(polls).toHaveLength(1);
  });

  it('follows a 202 from a PATCH too', async () => {
    bmc.intercept((req, res) => {
      if (req.method === 'PATCH' && req.path === SYSTEM) {
        res.writeHead(202, { Location: MONITOR, 'Retry-After': '0' }).end();
        return true;
      }
      if (req.path === MONITOR) {
        json(res, 200, task('Completed', 'OK'));
        return true;
      }
      return false;
    });
    const result = await client.system().setBootOverride({ target: 'Pxe' });
    expect(result.task?.TaskState).toBe('Completed');
  });
});
