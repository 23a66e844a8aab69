import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@galvanic/logging';
import {
  AmqpTransport,
  conductorQueueName,
  pingMethod,
  provesCallNotRun,
  RpcClient,
  RpcServer,
} from '../src/index';
import { registerTestHandlers } from './fixtures/handlers';
import { echoMethod, failMethod, sleepMethod, TEST_CONTRACT_VERSION } from './fixtures/methods';
import { AMQP_URL, randomNamespace, rejectionOf, waitFor } from './helpers';

const logger = silentLogger();
const namespace = randomNamespace();
const host = 'conductor-a';

let transport: AmqpTransport;
let server: RpcServer;
let client: RpcClient;
let seen: ReturnType<typeof registerTestHandlers>;

beforeAll(async () => {
  transport = new AmqpTransport({ url: AMQP_URL, namespace, logger, connectionName: 'rpc test' });
  server = new RpcServer({
    transport: transport.server(host),
    host,
    logger,
    contractVersion: TEST_CONTRACT_VERSION,
  });
  seen = registerTestHandlers(server);
  await server.start();
  client = new RpcClient({
    transport: transport.client(),
    caller: 'api test',
    logger,
    contractVersion: TEST_CONTRACT_VERSION,
  });
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await transport?.close();
});

describe('AmqpTransport, same process', () => {
  it('round-trips calls, carrying request id and caller', async () => {
    expect(transport.connected).toBe(true);
    const reply = await client.call(host, echoMethod, { text: 'hello' }, { requestId: 'req-abc' });
    expect(reply).toEqual({ text: 'hello', requestId: 'req-abc', caller: 'api test' });
    const ping = await client.call(host, pingMethod, {});
    expect(ping.host).toBe(host);
    const many = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.call(host, echoMethod, { text: `m${i}` })),
    );
    expect(many.map((r) => r.text)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });

  it('rethrows remote errors with kind, status and message', async () => {
    const locked = await rejectionOf(client.call(host, failMethod, { kind: 'NodeLocked' }));
    expect(locked).toMatchObject({ kind: 'NodeLocked', status: 409, name: 'NodeLocked' });
    expect(locked.message).toMatch(/^Node node-1 is locked by host conductor-a/);
    const plain = await rejectionOf(client.call(host, failMethod, { kind: 'plain' }));
    expect(plain).toMatchObject({ kind: 'InternalError', status: 500, message: 'disk on fire' });
  });

  it('fails fast with RpcUnreachable for a host without a queue', async () => {
    const started = Date.now();
    const error = await rejectionOf(
      client.call('ghost', echoMethod, { text: 'x' }, { timeoutMs: 20_000 }),
    );
    expect(error).toMatchObject({ kind: 'RpcUnreachable', status: 503 });
    expect(error.message).toBe(
      'Conductor ghost is not reachable over the message bus; RPC call echo was not delivered.',
    );
    expect(provesCallNotRun(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('rejects malformed messages with an error reply and keeps serving', async () => {
    const raw: ChannelModel = await connect(AMQP_URL);
    try {
      const channel = await raw.createChannel();
      const replies = new Map<string, unknown>();
      await channel.consume(
        'amq.rabbitmq.reply-to',
        (msg) =>
          msg &&
          replies.set(String(msg.properties.correlationId), JSON.parse(msg.content.toString())),
        { noAck: true },
      );
      const queue = conductorQueueName(namespace, host);
      const before = server.metrics.malformedRejected;
      const refusedBefore = server.metrics.incompatibleContractRefused;
      const bodies = {
        badJson: '{not json',
        unknownMethod: JSON.stringify({ method: 'nope', args: {} }),
        badArgs: JSON.stringify({ method: 'echo', args: { text: 5 } }),
      };
      for (const [id, body] of Object.entries(bodies)) {
        channel.publish('', queue, Buffer.from(body), {
          replyTo: 'amq.rabbitmq.reply-to',
          correlationId: id,
          headers: {
            'x-request-id': `req-${id}`,
            'x-deadline': Date.now() + 10_000,
            'x-contract-version': TEST_CONTRACT_VERSION,
          },
        });
      }
      // No reply address and no headers at all: it names no contract version, so it is refused
      // before its body is read, logged and dropped.
      channel.publish('', queue, Buffer.from('garbage'));
      await waitFor(
        () =>
          replies.size === 3 &&
          server.metrics.malformedRejected === before + 3 &&
          server.metrics.incompatibleContractRefused === refusedBefore + 1,
      );
      expect(replies.get('badJson')).toMatchObject({
        error: { kind: 'InternalError', status: 500, message: expect.stringMatching(/not JSON/) },
      });
      expect(replies.get('unknownMethod')).toMatchObject({
        error: { kind: 'InternalError', message: 'Unknown RPC method nope.' },
      });
      expect(replies.get('badArgs')).toMatchObject({
        error: { kind: 'InvalidParameterValue', status: 400 },
      });
      expect(await client.call(host, echoMethod, { text: 'still alive' })).toMatchObject({
        text: 'still alive',
      });
    } finally {
      await raw.close();
    }
  });

  it('drops a request whose x-deadline has passed without executing it', async () => {
    const raw = await connect(AMQP_URL);
    try {
      const channel = await raw.createChannel();
      const before = server.metrics.expiredDropped;
      channel.publish(
        '',
        conductorQueueName(namespace, host),
        Buffer.from(JSON.stringify({ method: 'echo', args: { text: 'too late' } })),
        { headers: { 'x-request-id': 'req-late', 'x-deadline': Date.now() - 1 } },
      );
      await waitFor(() => server.metrics.expiredDropped === before + 1);
      expect(seen.echoed).not.toContain('too late');
    } finally {
      await raw.close();
    }
  });

  it('a call that times out while queued behind a slow call is never executed', async () => {
    // prefetch 1: the second call waits in the queue while the first one runs.
    const slowHost = `slow-${randomUUID().slice(0, 8)}`;
    const slowServer = new RpcServer({
      contractVersion: TEST_CONTRACT_VERSION,
      transport: transport.server(slowHost, { prefetch: 1 }),
      host: slowHost,
      logger,
    });
    const slowSeen = registerTestHandlers(slowServer);
    await slowServer.start();
    try {
      const first = client.call(slowHost, sleepMethod, { ms: 800, tag: 'first' });
      await waitFor(() => slowServer.inFlight === 1);
      const late = await rejectionOf(
        client.call(slowHost, sleepMethod, { ms: 0, tag: 'late' }, { timeoutMs: 200 }),
      );
      expect(late).toMatchObject({ kind: 'RpcTimeout' });
      expect(late.message).toBe(`RPC call sleep to conductor ${slowHost} timed out after 200 ms.`);
      await first;
      // Give the broker and server every chance to (wrongly) run it.
      await client.call(slowHost, pingMethod, {});
      await sleep(100);
      expect(slowSeen.slept).toEqual(['first']);
    } finally {
      await slowServer.close();
    }
  });

  it('drain lets the running call finish and takes no new calls', async () => {
    const drainHost = `drain-${randomUUID().slice(0, 8)}`;
    const drainServer = new RpcServer({
      contractVersion: TEST_CONTRACT_VERSION,
      transport: transport.server(drainHost),
      host: drainHost,
      logger,
    });
    registerTestHandlers(drainServer);
    await drainServer.start();
    try {
      const running = client.call(drainHost, sleepMethod, { ms: 300 });
      await waitFor(() => drainServer.inFlight === 1);
      const draining = drainServer.drain(5_000);
      await sleep(100); // let the consumer cancel reach the broker
      const refused = await rejectionOf(
        client.call(drainHost, echoMethod, { text: 'after drain' }, { timeoutMs: 5_000 }),
      );
      expect(['RpcUnreachable', 'ConductorLeaving']).toContain(refused.kind);
      await expect(running).resolves.toEqual({ slept: 300 });
      await expect(draining).resolves.toEqual({ completed: true, abandoned: 0 });
      expect(drainServer.inFlight).toBe(0);
    } finally {
      await drainServer.close();
    }
  });

  it('keeps metrics', () => {
    const metrics = client.metrics;
    expect(metrics.calls).toBeGreaterThan(50);
    expect(metrics.errorsByKind.RpcUnreachable).toBeGreaterThanOrEqual(1);
    expect(metrics.latency.count).toBe(metrics.calls);
    expect(server.metrics.calls).toBeGreaterThan(50);
    expect(transport.metrics).toMatchObject({ connected: true, reconnects: 0 });
  });
});
