import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@galvanic/logging';
import { InvalidParameterValue } from '@galvanic/errors';
import {
  defineRpcMethod,
  InProcessTransport,
  pingMethod,
  RpcClient,
  RpcServer,
} from '../src/index';
import { registerTestHandlers } from './fixtures/handlers';
import {
  blockMethod,
  echoMethod,
  failMethod,
  sleepMethod,
  TEST_CONTRACT_VERSION,
} from './fixtures/methods';
import { rejectionOf, waitFor } from './helpers';

const logger = silentLogger();

function setup(host = 'conductor-1') {
  const transport = new InProcessTransport();
  const server = new RpcServer({
    transport: transport.server(host),
    host,
    logger,
    contractVersion: TEST_CONTRACT_VERSION,
  });
  const seen = registerTestHandlers(server);
  const client = new RpcClient({
    transport: transport.client(),
    caller: 'api test',
    logger,
    contractVersion: TEST_CONTRACT_VERSION,
  });
  return { transport, server, client, seen };
}

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

async function started(host?: string) {
  const ctx = setup(host);
  await ctx.server.start();
  cleanups.push(
    () => ctx.client.close(),
    () => ctx.server.close(),
  );
  return ctx;
}

describe('InProcessTransport', () => {
  it('round-trips a call with request id and caller', async () => {
    const { client } = await started();
    const reply = await client.call(
      'conductor-1',
      echoMethod,
      { text: 'hi' },
      { requestId: 'req-1' },
    );
    expect(reply).toEqual({ text: 'hi', requestId: 'req-1', caller: 'api test' });
    const ping = await client.call('conductor-1', pingMethod, {});
    expect(ping.host).toBe('conductor-1');
    expect(client.metrics.calls).toBe(2);
    expect(client.metrics.succeeded).toBe(2);
  });

  it('gives a call without request id a req-<uuid> one', async () => {
    const { client } = await started();
    const reply = await client.call('conductor-1', echoMethod, { text: 'x' });
    expect(reply.requestId).toMatch(/^req-[0-9a-f-]{36}$/);
  });

  it('rethrows remote errors with kind, status and message; hides plain errors stacks', async () => {
    const { client } = await started();
    const locked = await rejectionOf(
      client.call('conductor-1', failMethod, { kind: 'NodeLocked' }),
    );
    expect(locked).toMatchObject({ kind: 'NodeLocked', status: 409 });
    expect(locked.message).toBe(
      'Node node-1 is locked by host conductor-a, please retry after the current operation is completed.',
    );
    const plain = await rejectionOf(client.call('conductor-1', failMethod, { kind: 'plain' }));
    expect(plain).toMatchObject({ kind: 'InternalError', status: 500, message: 'disk on fire' });
    expect(client.metrics.errorsByKind).toEqual({ NodeLocked: 1, InternalError: 1 });
  });

  it('rejects bad arguments locally before sending', async () => {
    const { client, server } = await started();
    const error = await rejectionOf(
      client.call('conductor-1', echoMethod, { text: 42 } as unknown as { text: string }),
    );
    expect(error).toBeInstanceOf(InvalidParameterValue);
    expect(server.metrics.calls).toBe(0);
  });

  it('fails fast for an unknown host', async () => {
    const { client } = await started();
    const error = await rejectionOf(client.call('nobody', echoMethod, { text: 'x' }));
    expect(error).toMatchObject({ kind: 'RpcUnreachable' });
    expect(error.message).toBe('Conductor nobody is not reachable over the message bus.');
  });

  it('times out and does not execute requests whose deadline passed', async () => {
    const { client, server, seen } = await started();
    // The first handler stalls the process past the second call's deadline before it is handled.
    const stall = client.call('conductor-1', blockMethod, { ms: 100 });
    const error = await rejectionOf(
      client.call('conductor-1', sleepMethod, { ms: 0, tag: 'late' }, { timeoutMs: 20 }),
    );
    expect(error).toMatchObject({ kind: 'RpcTimeout' });
    expect(error.message).toBe('RPC call sleep to conductor conductor-1 timed out after 20 ms.');
    await stall;
    expect(seen.slept).not.toContain('late');
    expect(server.metrics.expiredDropped).toBe(1);
  });

  it('rejects a reply that does not match the result schema', async () => {
    const { client } = await started();
    const strictEcho = defineRpcMethod(
      'echo',
      z.strictObject({ text: z.string() }),
      z.object({ text: z.number() }),
    );
    const error = await rejectionOf(client.call('conductor-1', strictEcho, { text: 'a' }));
    expect(error).toMatchObject({ kind: 'InternalError' });
    expect(error.message).toMatch(/^Malformed reply to RPC call echo from conductor conductor-1/);
  });

  it('drains: the running call completes, new calls are refused', async () => {
    const { client, server } = await started();
    const running = client.call('conductor-1', sleepMethod, { ms: 150 });
    await waitFor(() => server.inFlight === 1);
    const draining = server.drain(5_000);
    const refused = await rejectionOf(client.call('conductor-1', echoMethod, { text: 'x' }));
    expect(refused).toMatchObject({ kind: 'RpcUnreachable' });
    await expect(running).resolves.toEqual({ slept: 150 });
    await expect(draining).resolves.toEqual({ completed: true, abandoned: 0 });
  });

  it('drain aborts calls still running at its deadline through ctx.signal', async () => {
    const { client, server } = await started();
    const running = rejectionOf(client.call('conductor-1', sleepMethod, { ms: 10_000 }));
    await waitFor(() => server.inFlight === 1);
    await expect(server.drain(50)).resolves.toEqual({ completed: false, abandoned: 1 });
    expect(await running).toMatchObject({ kind: 'ServiceUnavailable' });
    await waitFor(() => server.inFlight === 0);
  });
});
