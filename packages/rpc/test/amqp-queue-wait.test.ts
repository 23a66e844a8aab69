import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@galvanic/logging';
import {
  AmqpTransport,
  provesCallNotRun,
  RpcCallNotDelivered,
  RpcClient,
  RpcServer,
} from '../src/index';
import { registerTestHandlers } from './fixtures/handlers';
import { echoMethod, TEST_CONTRACT_VERSION } from './fixtures/methods';
import { AMQP_URL, randomNamespace, rejectionOf, TcpProxy, waitFor } from './helpers';

const logger = silentLogger();
const namespace = randomNamespace();
const host = 'conductor-q';

// The server reaches the broker through a proxy the test cuts; the client directly, so the
// client is connected while the server's queue is gone (as after a broker restart when the api
// reconnected first).
const proxy = TcpProxy.forUrl(AMQP_URL);
let serverTransport: AmqpTransport;
let server: RpcServer;
let seen: ReturnType<typeof registerTestHandlers>;
let clientTransport: AmqpTransport;

beforeAll(async () => {
  await proxy.start();
  serverTransport = new AmqpTransport({
    url: proxy.url(AMQP_URL),
    namespace,
    logger,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  server = new RpcServer({
    transport: serverTransport.server(host),
    host,
    logger,
    contractVersion: TEST_CONTRACT_VERSION,
  });
  seen = registerTestHandlers(server);
  await server.start();
  clientTransport = new AmqpTransport({ url: AMQP_URL, namespace, logger });
  await clientTransport.waitForConnection();
});

afterAll(async () => {
  await server?.close();
  await serverTransport?.close();
  await clientTransport?.close();
  await proxy.stop();
});

function clientWaiting(queueWaitMs: number): RpcClient {
  return new RpcClient({
    contractVersion: TEST_CONTRACT_VERSION,
    transport: clientTransport.client({ queueWaitMs }),
    caller: 'api test',
    logger,
  });
}

async function serverAway(): Promise<void> {
  await proxy.stop();
  await waitFor(() => !serverTransport.connected);
}

async function serverBack(): Promise<void> {
  await proxy.start();
  await waitFor(() => serverTransport.connected);
}

describe('a call to a conductor whose queue is missing', () => {
  it('waits for the queue to come back, within the wait, and runs once', async () => {
    const client = clientWaiting(10_000);
    await serverAway();
    const call = client.call(host, echoMethod, { text: 'waited' }, { timeoutMs: 20_000 });
    await sleep(800);
    await serverBack();
    await expect(call).resolves.toMatchObject({ text: 'waited' });
    expect(seen.echoed.filter((text) => text === 'waited')).toEqual(['waited']);
    await client.close();
  });

  it('fails as not delivered (so provably not run) when the queue stays away past the wait', async () => {
    const client = clientWaiting(300);
    await serverAway();
    const started = Date.now();
    const error = await rejectionOf(
      client.call(host, echoMethod, { text: 'never' }, { timeoutMs: 20_000 }),
    );
    expect(error).toBeInstanceOf(RpcCallNotDelivered);
    expect(error).toMatchObject({ kind: 'RpcUnreachable', status: 503 });
    expect(provesCallNotRun(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
    await serverBack();
    await client.call(host, echoMethod, { text: 'after' });
    expect(seen.echoed).not.toContain('never');
    await client.close();
  });

  it('fails at once without a wait', async () => {
    const client = clientWaiting(0);
    await serverAway();
    const error = await rejectionOf(
      client.call(host, echoMethod, { text: 'none' }, { timeoutMs: 20_000 }),
    );
    expect(error).toBeInstanceOf(RpcCallNotDelivered);
    await serverBack();
    await client.close();
  });
});
