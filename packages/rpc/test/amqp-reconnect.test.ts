import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@galvanic/logging';
import {
  AmqpTransport,
  provesCallNotRun,
  RpcCallNotSent,
  RpcClient,
  RpcServer,
} from '../src/index';
import { registerTestHandlers } from './fixtures/handlers';
import { echoMethod, sleepMethod, statsMethod, TEST_CONTRACT_VERSION } from './fixtures/methods';
import { AMQP_URL, randomNamespace, rejectionOf, TcpProxy, waitFor } from './helpers';

const logger = silentLogger();
const namespace = randomNamespace();
const host = 'conductor-r';
const reconnect = { initialDelayMs: 50, maxDelayMs: 500 };

// Client and server each have their own transport, both through the proxy, so both must recover.
const proxy = TcpProxy.forUrl(AMQP_URL);
let serverTransport: AmqpTransport;
let clientTransport: AmqpTransport;
let server: RpcServer;
// Reached directly, not through the proxy: always up while the client's link is down.
let directTransport: AmqpTransport;
let directServer: RpcServer;
const directHost = 'conductor-direct';
let client: RpcClient;
const events: string[] = [];

beforeAll(async () => {
  await proxy.start();
  const url = proxy.url(AMQP_URL);
  serverTransport = new AmqpTransport({ url, namespace, logger, reconnect });
  clientTransport = new AmqpTransport({ url, namespace, logger, reconnect });
  clientTransport.on('connected', () => events.push('connected'));
  clientTransport.on('disconnected', () => events.push('disconnected'));
  server = new RpcServer({
    transport: serverTransport.server(host),
    host,
    logger,
    contractVersion: TEST_CONTRACT_VERSION,
  });
  registerTestHandlers(server);
  await server.start();
  directTransport = new AmqpTransport({ url: AMQP_URL, namespace, logger });
  directServer = new RpcServer({
    contractVersion: TEST_CONTRACT_VERSION,
    transport: directTransport.server(directHost),
    host: directHost,
    logger,
  });
  registerTestHandlers(directServer);
  await directServer.start();
  client = new RpcClient({
    transport: clientTransport.client(),
    caller: 'api test',
    logger,
    contractVersion: TEST_CONTRACT_VERSION,
  });
  await clientTransport.waitForConnection();
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await clientTransport?.close();
  await serverTransport?.close();
  await directServer?.close();
  await directTransport?.close();
  await proxy.stop();
});

const bothConnected = () => clientTransport.connected && serverTransport.connected;

describe('AmqpTransport reconnection', () => {
  it('fails the in-flight call with RpcConnectionLost, then recovers on the same objects', async () => {
    expect(await client.call(host, echoMethod, { text: 'before' })).toMatchObject({
      text: 'before',
    });
    const started = Date.now();
    const inFlight = rejectionOf(
      client.call(host, sleepMethod, { ms: 2_000 }, { timeoutMs: 20_000 }),
    );
    await waitFor(() => server.inFlight === 1);
    proxy.dropConnections();
    const error = await inFlight;
    expect(error).toMatchObject({ kind: 'RpcConnectionLost', status: 503 });
    expect(error.message).toMatch(/^The connection to the message broker was lost/);
    expect(error.message).toMatch(
      /RPC call sleep to conductor conductor-r may or may not have run\.$/,
    );
    expect(Date.now() - started).toBeLessThan(20_000);

    await waitFor(
      () => serverTransport.metrics.reconnects >= 1 && clientTransport.metrics.reconnects >= 1,
    );
    await waitFor(bothConnected);
    expect(await client.call(host, echoMethod, { text: 'after' })).toMatchObject({ text: 'after' });
    expect(events).toEqual(['connected', 'disconnected', 'connected']);
  });

  it('recovers when the broker is unreachable for a second', async () => {
    await waitFor(bothConnected);
    const reconnectsBefore = clientTransport.metrics.reconnects;
    await proxy.stop();
    await waitFor(() => !clientTransport.connected && !serverTransport.connected);

    // A call made while disconnected is not sent, and says so at once, well before its deadline...
    const started = Date.now();
    const refused = await rejectionOf(
      client.call(directHost, echoMethod, { text: 'refused' }, { timeoutMs: 20_000 }),
    );
    expect(refused).toBeInstanceOf(RpcCallNotSent);
    expect(refused).toMatchObject({ kind: 'RpcConnectionLost', status: 503 });
    expect(refused.message).toBe(
      'The message broker is unreachable: RPC call echo to conductor conductor-direct was not sent.',
    );
    expect(provesCallNotRun(refused)).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
    // ...and calls go through again once the link is back, with no restart.
    await sleep(300);
    await proxy.start();
    await waitFor(() => clientTransport.connected);
    expect(
      await client.call(directHost, echoMethod, { text: 'patient' }, { timeoutMs: 15_000 }),
    ).toMatchObject({ text: 'patient' });
    const directStats = await client.call(directHost, statsMethod, {});
    expect(directStats.echoed).toEqual(['patient']);

    await waitFor(bothConnected);
    expect(await client.call(host, echoMethod, { text: 'back' })).toMatchObject({ text: 'back' });
    expect(clientTransport.metrics.reconnects).toBeGreaterThan(reconnectsBefore);
    expect(clientTransport.metrics.failedConnectAttempts).toBeGreaterThan(0);
  });
});
