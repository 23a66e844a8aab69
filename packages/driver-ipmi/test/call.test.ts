import { describe, expect, it } from 'vitest';
import { makeTask } from '@galvanic/driver-sdk/testing';
import { IpmiCompletionCodeError, IpmiSessionError, type Bmc } from 'ipmi-ts';
import { ipmiCall } from '../src/call';
import type { IpmiConnection } from '../src/connect';
import type { IpmiDriverInfo } from '../src/driver-info';

const target = '10.0.0.42:623';
const connection = (retrySeconds: number): IpmiConnection => ({
  bmc: { target, protocol: '2.0', cipherSuite: 3 } as Bmc,
  info: {} as IpmiDriverInfo,
  retrySeconds,
});
const nodeBusy = () => new IpmiCompletionCodeError(0xc0, 0x00, 0x02, { target });

describe('ipmiCall with a busy BMC', () => {
  it('asks again while the BMC answers "node busy", within command_retry_timeout', async () => {
    const task = makeTask();
    let calls = 0;
    const started = performance.now();
    const answer = await ipmiCall(task, connection(5), 'chassis power on', async () => {
      if (++calls < 3) throw nodeBusy();
      return 'done';
    });
    expect(answer).toBe('done');
    expect(calls).toBe(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('gives up with the completion code once the time is spent', async () => {
    const task = makeTask();
    await expect(
      ipmiCall(task, connection(0.2), 'chassis power on', () => Promise.reject(nodeBusy())),
    ).rejects.toThrow(
      `IPMI call failed: chassis power on on node ${task.node.uuid}: the BMC at ${target} answered completion code 0xC0 (Node busy)`,
    );
  });

  it('retries a BMC out of session slots, and nothing else', async () => {
    const task = makeTask();
    let calls = 0;
    await ipmiCall(task, connection(5), 'chassis power status', async () => {
      if (++calls === 1) {
        throw new IpmiSessionError('RMCP+ open session failed', { target, statusCode: 0x01 });
      }
    });
    expect(calls).toBe(2);
    calls = 0;
    const invalid = new IpmiCompletionCodeError(0xc1, 0x06, 0x02, { target });
    await expect(
      ipmiCall(task, connection(5), 'BMC cold reset', () => {
        calls++;
        return Promise.reject(invalid);
      }),
    ).rejects.toThrow('answered completion code 0xC1 (Invalid command)');
    expect(calls).toBe(1);
  });

  it("stops when the task's signal aborts", async () => {
    const controller = new AbortController();
    const task = makeTask({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller gave up')), 100);
    await expect(
      ipmiCall(task, connection(5), 'chassis power on', () => Promise.reject(nodeBusy())),
    ).rejects.toThrow('caller gave up');
  });
});
