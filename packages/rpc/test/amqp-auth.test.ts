import { randomBytes, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '@galvanic/logging';
import {
  AmqpTransport,
  conductorQueueName,
  HEADER_CALLER,
  HEADER_CONTRACT_VERSION,
  HEADER_DEADLINE,
  HEADER_ISSUED_AT,
  HEADER_MAC,
  HEADER_REQUEST_ID,
  MessageAuthenticator,
  RpcClient,
  RpcServer,
} from '../src/index';
import { registerTestHandlers } from './fixtures/handlers';
import { echoMethod, TEST_CONTRACT_VERSION } from './fixtures/methods';
import { AMQP_URL, randomNamespace, rejectionOf, waitFor } from './helpers';

const KEY = randomBytes(32);
const namespace = randomNamespace();
const host = 'conductor-auth';
const queue = conductorQueueName(namespace, host);

const logLines = new PassThrough();
const logged: string[] = [];
logLines.on('data', (chunk: Buffer) => logged.push(chunk.toString('utf8')));
const logger = createLogger({ service: 'conductor', host, stream: logLines, level: 'debug' });

let serverTransport: AmqpTransport;
let clientTransport: AmqpTransport;
let server: RpcServer;
let client: RpcClient;
let seen: ReturnType<typeof registerTestHandlers>;
let raw: ChannelModel;
let rawChannel: Channel;

beforeAll(async () => {
  serverTransport = new AmqpTransport({ url: AMQP_URL, namespace, logger, messageKey: KEY });
  // One unacknowledged message at a time: a dropped message left unacked would stall the queue.
  server = new RpcServer({
    contractVersion: TEST_CONTRACT_VERSION,
    transport: serverTransport.server(host, { prefetch: 1 }),
    host,
    logger,
  });
  seen = registerTestHandlers(server);
  await server.start();
  clientTransport = new AmqpTransport({
    url: AMQP_URL,
    namespace,
    logger: silentLogger(),
    messageKey: KEY,
  });
  client = new RpcClient({
    transport: clientTransport.client(),
    caller: 'api:a',
    logger,
    contractVersion: TEST_CONTRACT_VERSION,
  });
  raw = await connect(AMQP_URL);
  rawChannel = await raw.createChannel();
});

afterAll(async () => {
  await raw?.close().catch(() => undefined);
  await client?.close();
  await server?.close();
  await clientTransport?.close();
  await serverTransport?.close();
});

interface Envelope {
  messageId: string;
  body: string;
  requestId: string;
  caller: string;
  deadline: number;
  issuedAt: number;
  contractVersion: string;
  mac?: string;
}

function envelope(text: string, overrides: Partial<Envelope> = {}): Envelope {
  const issuedAt = Date.now();
  return {
    messageId: randomUUID(),
    body: JSON.stringify({ method: 'echo', args: { text } }),
    requestId: `req-${randomUUID()}`,
    caller: 'api:a',
    deadline: issuedAt + 10_000,
    issuedAt,
    contractVersion: TEST_CONTRACT_VERSION,
    ...overrides,
  };
}

/** Publishes as a made-up client would: straight to the conductor's queue, with any headers. */
function publishRaw(to: string, message: Envelope): void {
  rawChannel.publish('', to, Buffer.from(message.body), {
    correlationId: message.messageId,
    contentType: 'application/json',
    headers: {
      [HEADER_REQUEST_ID]: message.requestId,
      [HEADER_CALLER]: message.caller,
      [HEADER_DEADLINE]: message.deadline,
      [HEADER_ISSUED_AT]: message.issuedAt,
      [HEADER_CONTRACT_VERSION]: message.contractVersion,
      ...(message.mac === undefined ? {} : { [HEADER_MAC]: message.mac }),
    },
  });
}

function macFor(authenticator: MessageAuthenticator, to: string, message: Envelope): string {
  return authenticator.signCall({ destination: to, ...message });
}

describe('RPC message authentication over RabbitMQ', () => {
  it('signed calls between holders of the key run and their replies are accepted', async () => {
    const reply = await client.call(host, echoMethod, { text: 'genuine' }, { requestId: 'req-1' });
    expect(reply).toEqual({ text: 'genuine', requestId: 'req-1', caller: 'api:a' });
  });

  it('drops, acks and counts calls with no MAC, a wrong key, or an altered envelope, running none', async () => {
    const before = server.metrics.unauthenticatedDropped;
    const ranBefore = seen.echoed.length;
    const genuineSigner = new MessageAuthenticator(KEY);
    const otherKey = new MessageAuthenticator(randomBytes(32));
    const forgeries: Envelope[] = [];
    forgeries.push(envelope('no mac'));
    const wrongKey = envelope('wrong key');
    forgeries.push({ ...wrongKey, mac: macFor(otherKey, queue, wrongKey) });
    const signed = envelope('original');
    const mac = macFor(genuineSigner, queue, signed);
    forgeries.push({
      ...signed,
      body: JSON.stringify({ method: 'echo', args: { text: 'evil' } }),
      mac,
    });
    forgeries.push({ ...signed, deadline: signed.deadline + 60_000, mac });
    forgeries.push({ ...signed, caller: 'conductor:other', mac });
    forgeries.push({ ...signed, requestId: 'req-other', mac });
    forgeries.push({ ...signed, issuedAt: signed.issuedAt + 1, mac });
    forgeries.push({ ...signed, messageId: randomUUID(), mac });
    forgeries.push({ ...signed, contractVersion: '2.0', mac });
    // Signed for another conductor's queue, replayed to this one.
    const elsewhere = envelope('elsewhere');
    forgeries.push({
      ...elsewhere,
      mac: macFor(genuineSigner, conductorQueueName(namespace, 'other-host'), elsewhere),
    });
    forgeries.push({ ...envelope('garbage mac'), mac: 'not-base64-at-all!' });
    for (const forged of forgeries) publishRaw(queue, forged);

    await waitFor(() => server.metrics.unauthenticatedDropped - before === forgeries.length);
    expect(seen.echoed.length).toBe(ranBefore);
    expect(seen.echoed).not.toContain('evil');
    // The genuine envelope itself still goes through, which with a prefetch of one it can only
    // do if every dropped message before it was acked.
    publishRaw(queue, { ...signed, mac });
    await waitFor(() => seen.echoed.includes('original'));
  });

  it('runs a genuine call once, dropping the same message published again', async () => {
    const signed = envelope('once only');
    const mac = macFor(new MessageAuthenticator(KEY), queue, signed);
    const before = server.metrics.unauthenticatedDropped;
    publishRaw(queue, { ...signed, mac });
    publishRaw(queue, { ...signed, mac });
    publishRaw(queue, { ...signed, mac });
    await waitFor(() => server.metrics.unauthenticatedDropped - before === 2);
    await client.call(host, echoMethod, { text: 'after replays' });
    expect(seen.echoed.filter((text) => text === 'once only')).toEqual(['once only']);
  });

  it('logs a dropped message without the key or the MAC it carried', async () => {
    const forged = envelope('log me');
    const mac = macFor(new MessageAuthenticator(randomBytes(32)), queue, forged);
    logged.length = 0;
    publishRaw(queue, { ...forged, mac });
    await waitFor(() => logged.some((line) => line.includes(forged.requestId)));
    const text = logged.join('');
    expect(text).toMatch(/failed authentication/);
    expect(text).not.toContain(KEY.toString('hex'));
    expect(text).not.toContain(KEY.toString('base64'));
    expect(text).not.toContain(mac);
  });

  it('refuses a forged reply and still takes the genuine one that follows', async () => {
    // A fake conductor: answers first with a forged reply, then with one signed by the key.
    const fakeHost = `fake-${randomUUID()}`;
    const fakeQueue = conductorQueueName(namespace, fakeHost);
    const fake = await raw.createChannel();
    await fake.assertQueue(fakeQueue, { exclusive: true, autoDelete: true });
    const signer = new MessageAuthenticator(KEY);
    let sendGenuine = false;
    await fake.consume(
      fakeQueue,
      (message: ConsumeMessage | null) => {
        if (!message) return;
        const { replyTo, correlationId, headers } = message.properties;
        const callMac = String((headers as Record<string, unknown>)[HEADER_MAC]);
        const forgedBody = JSON.stringify({
          result: { text: 'forged', requestId: 'x', caller: 'x' },
        });
        fake.sendToQueue(replyTo as string, Buffer.from(forgedBody), { correlationId });
        fake.sendToQueue(replyTo as string, Buffer.from(forgedBody), {
          correlationId,
          headers: {
            [HEADER_MAC]: new MessageAuthenticator(randomBytes(32)).signReply(callMac, forgedBody),
          },
        });
        if (!sendGenuine) return;
        const genuineBody = JSON.stringify({
          result: { text: 'genuine', requestId: 'r', caller: 'c' },
        });
        fake.sendToQueue(replyTo as string, Buffer.from(genuineBody), {
          correlationId,
          headers: { [HEADER_MAC]: signer.signReply(callMac, genuineBody) },
        });
      },
      { noAck: true },
    );
    try {
      const forgedBefore = clientTransport.metrics.forgedRepliesDropped;
      const refused = await rejectionOf(
        client.call(fakeHost, echoMethod, { text: 'x' }, { timeoutMs: 1500 }),
      );
      expect(refused.kind).toBe('RpcTimeout');
      expect(clientTransport.metrics.forgedRepliesDropped - forgedBefore).toBe(2);

      sendGenuine = true;
      const reply = await client.call(fakeHost, echoMethod, { text: 'x' }, { timeoutMs: 5000 });
      expect(reply.text).toBe('genuine');
    } finally {
      await fake.close().catch(() => undefined);
    }
  });

  it('a reply signed for one call is refused on another', async () => {
    const fakeHost = `replay-${randomUUID()}`;
    const fakeQueue = conductorQueueName(namespace, fakeHost);
    const fake = await raw.createChannel();
    await fake.assertQueue(fakeQueue, { exclusive: true, autoDelete: true });
    const signer = new MessageAuthenticator(KEY);
    const body = JSON.stringify({ result: { text: 'replayed', requestId: 'r', caller: 'c' } });
    let firstMac: string | undefined;
    await fake.consume(
      fakeQueue,
      (message: ConsumeMessage | null) => {
        if (!message) return;
        const { replyTo, correlationId, headers } = message.properties;
        const callMac = String((headers as Record<string, unknown>)[HEADER_MAC]);
        firstMac ??= callMac;
        // Always the reply that was signed for the first call.
        fake.sendToQueue(replyTo as string, Buffer.from(body), {
          correlationId,
          headers: { [HEADER_MAC]: signer.signReply(firstMac, body) },
        });
      },
      { noAck: true },
    );
    try {
      expect((await client.call(fakeHost, echoMethod, { text: 'a' })).text).toBe('replayed');
      const second = await rejectionOf(
        client.call(fakeHost, echoMethod, { text: 'b' }, { timeoutMs: 1000 }),
      );
      expect(second.kind).toBe('RpcTimeout');
    } finally {
      await fake.close().catch(() => undefined);
    }
  });

  it('a client without the key cannot drive the server, and learns nothing back', async () => {
    const keyless = new AmqpTransport({ url: AMQP_URL, namespace, logger: silentLogger() });
    const rogue = new RpcClient({
      contractVersion: TEST_CONTRACT_VERSION,
      transport: keyless.client(),
      caller: 'rogue',
      logger: silentLogger(),
    });
    try {
      const ranBefore = seen.echoed.length;
      const error = await rejectionOf(
        rogue.call(host, echoMethod, { text: 'rogue' }, { timeoutMs: 1000 }),
      );
      expect(error.kind).toBe('RpcTimeout');
      await sleep(100);
      expect(seen.echoed.slice(ranBefore)).not.toContain('rogue');
    } finally {
      await rogue.close();
      await keyless.close();
    }
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => new MessageAuthenticator(Buffer.from('short'))).toThrow(/at least 32 bytes/);
  });
});
