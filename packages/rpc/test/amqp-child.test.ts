import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@galvanic/logging';
import { AmqpTransport, pingMethod, RpcClient } from '../src/index';
import {
  blockMethod,
  echoMethod,
  failMethod,
  sleepMethod,
  statsMethod,
  TEST_CONTRACT_VERSION,
} from './fixtures/methods';
import { AMQP_URL, randomNamespace, rejectionOf } from './helpers';

const logger = silentLogger();
const namespace = randomNamespace();
const host = 'child-conductor';
const childScript = fileURLToPath(new URL('./fixtures/child-server.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

let child: ChildProcess;
let transport: AmqpTransport;
let client: RpcClient;

async function startChild(childHost = host): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', childScript], {
    cwd: repoRoot,
    env: {
      ...process.env,
      RPC_TEST_URL: AMQP_URL,
      RPC_TEST_NAMESPACE: namespace,
      RPC_TEST_HOST: childHost,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
  return proc;
}

beforeAll(async () => {
  child = await startChild();
  transport = new AmqpTransport({ url: AMQP_URL, namespace, logger, connectionName: 'api test' });
  client = new RpcClient({
    transport: transport.client(),
    caller: 'api test',
    logger,
    contractVersion: TEST_CONTRACT_VERSION,
  });
});

afterAll(async () => {
  await client?.close();
  await transport?.close();
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

describe('AmqpTransport between two processes', () => {
  it('round-trips a call to a server in another process', async () => {
    const reply = await client.call(host, echoMethod, { text: 'across' }, { requestId: 'req-x1' });
    expect(reply).toEqual({ text: 'across', requestId: 'req-x1', caller: 'api test' });
    const stats = await client.call(host, statsMethod, {});
    expect(stats.pid).toBe(child.pid);
    expect(stats.pid).not.toBe(process.pid);
    expect((await client.call(host, pingMethod, {})).host).toBe(host);
  });

  it('rethrows the remote error with kind, status and message', async () => {
    const error = await rejectionOf(client.call(host, failMethod, { kind: 'NodeLocked' }));
    expect(error).toMatchObject({ kind: 'NodeLocked', status: 409 });
    expect(error.message).toBe(
      'Node node-1 is locked by host conductor-a, please retry after the current operation is completed.',
    );
  });

  it('a stalled server drops, unexecuted, the call whose caller already timed out', async () => {
    const blocking = client.call(host, blockMethod, { ms: 700 });
    const late = await rejectionOf(
      client.call(host, echoMethod, { text: 'expired-while-stalled' }, { timeoutMs: 150 }),
    );
    expect(late).toMatchObject({ kind: 'RpcTimeout' });
    await blocking;
    const stats = await client.call(host, statsMethod, {});
    expect(stats.echoed).not.toContain('expired-while-stalled');
    expect(stats.expiredDropped).toBeGreaterThanOrEqual(1);
  });

  it('a call in flight when its server is killed fails as unreachable, long before its deadline', async () => {
    const doomed = await startChild('doomed-conductor');
    const started = Date.now();
    const pending = rejectionOf(
      client.call(
        'doomed-conductor',
        sleepMethod,
        { ms: 30_000, tag: 'doomed' },
        { timeoutMs: 20_000 },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    doomed.kill('SIGKILL');
    await once(doomed, 'exit');
    const error = await pending;
    expect(error).toMatchObject({ kind: 'RpcUnreachable' });
    expect(error.message).toMatch(/stopped consuming .* may or may not have run/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a killed server becomes unreachable at once, not after the deadline', async () => {
    child.kill('SIGKILL');
    await once(child, 'exit');
    // A call published in the instant before the broker deletes the dead server's queue is lost
    // with the queue (never run twice), and times out: retry briefly until the queue is gone.
    const started = Date.now();
    let error: Error & { kind?: string };
    do {
      error = await rejectionOf(client.call(host, echoMethod, { text: 'x' }, { timeoutMs: 500 }));
    } while (error.kind === 'RpcTimeout' && Date.now() - started < 5_000);
    expect(error).toMatchObject({ kind: 'RpcUnreachable' });
  });
});
