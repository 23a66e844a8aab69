import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { connect, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@galvanic/logging';
import { AmqpTransport, conductorQueueName, RpcClient, RpcServer } from '../src/index';
import { registerTestHandlers } from './fixtures/handlers';
import { echoMethod, sleepMethod, TEST_CONTRACT_VERSION } from './fixtures/methods';
import { AMQP_URL, rejectionOf } from './helpers';

const run = promisify(execFile);
const rabbitmqctl = (...args: string[]) => run('rabbitmqctl', args, { timeout: 30_000 });

/**
 * The least-privilege broker users the README documents, tried for real: a throwaway vhost with
 * an api user and a conductor user holding exactly the documented permissions.
 */
const suffix = randomBytes(4).toString('hex');
const vhost = `galvanic-perm-${suffix}`;
const namespace = 'galvanic';
const users = {
  api: { name: `galvanic-api-${suffix}`, password: randomBytes(12).toString('hex') },
  conductor: { name: `galvanic-conductor-${suffix}`, password: randomBytes(12).toString('hex') },
};
// The documented regexes, for control_exchange = galvanic. The api reads no queue: consuming
// direct reply-to (amq.rabbitmq.reply-to) needs no permission, nor do passive queue checks.
const PERMISSIONS = {
  api: ['^$', '^amq\\.default$', '^$'],
  conductor: [
    '^galvanic\\.conductor\\.[^.]+$',
    '^amq\\.default$',
    '^galvanic\\.conductor\\.[^.]+$',
  ],
};
const KEY = randomBytes(32);
const logger = silentLogger();

function urlFor(user: { name: string; password: string }): string {
  const url = new URL(AMQP_URL);
  url.username = user.name;
  url.password = user.password;
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}

/** What the broker answers when `user` tries `operation` on a channel of its own. */
async function attempt(
  user: { name: string; password: string },
  operation: (channel: Awaited<ReturnType<ChannelModel['createChannel']>>) => Promise<unknown>,
): Promise<'ok' | 'refused'> {
  const connection = await connect(urlFor(user));
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await operation(channel);
    return 'ok';
  } catch (error) {
    if (/ACCESS_REFUSED|403/.test(String(error))) return 'refused';
    throw error;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

let brokerUsable = true;

beforeAll(async () => {
  try {
    await rabbitmqctl('add_vhost', vhost);
  } catch {
    brokerUsable = false; // no rabbitmqctl rights here: the test says so below
    return;
  }
  for (const role of ['api', 'conductor'] as const) {
    await rabbitmqctl('add_user', users[role].name, users[role].password);
    await rabbitmqctl('set_permissions', '-p', vhost, users[role].name, ...PERMISSIONS[role]);
  }
}, 120_000);

afterAll(async () => {
  for (const role of ['api', 'conductor'] as const) {
    await rabbitmqctl('delete_user', users[role].name).catch(() => undefined);
  }
  await rabbitmqctl('delete_vhost', vhost).catch(() => undefined);
}, 120_000);

describe('least-privilege broker users for the api and the conductors', () => {
  it('can run Galvanic RPC with exactly the documented permissions, and nothing more', async () => {
    expect(brokerUsable, 'rabbitmqctl could not create the test vhost').toBe(true);
    const host = 'c1';
    const serverTransport = new AmqpTransport({
      url: urlFor(users.conductor),
      namespace,
      logger,
      messageKey: KEY,
    });
    const clientTransport = new AmqpTransport({
      url: urlFor(users.api),
      namespace,
      logger,
      messageKey: KEY,
    });
    const server = new RpcServer({
      transport: serverTransport.server(host),
      host,
      logger,
      contractVersion: TEST_CONTRACT_VERSION,
    });
    registerTestHandlers(server);
    const client = new RpcClient({
      contractVersion: TEST_CONTRACT_VERSION,
      transport: clientTransport.client({ queueWaitMs: 500 }),
      caller: 'api',
      logger,
    });
    try {
      await server.start();
      await clientTransport.waitForConnection();
      // Calls, replies, an unroutable call, and a call waiting over a second (which makes the
      // client probe the conductor's queue) all work with these permissions.
      expect(await client.call(host, echoMethod, { text: 'hi' })).toMatchObject({ text: 'hi' });
      expect(await client.call(host, sleepMethod, { ms: 1500 })).toEqual({ slept: 1500 });
      const ghost = await rejectionOf(client.call('ghost', echoMethod, { text: 'x' }));
      expect(ghost.kind).toBe('RpcUnreachable');
    } finally {
      await client.close();
      await server.close();
      await clientTransport.close();
      await serverTransport.close();
    }

    const queue = conductorQueueName(namespace, 'c9');
    // The api declares nothing and reads no conductor queue.
    expect(await attempt(users.api, (ch) => ch.assertQueue(queue, { exclusive: true }))).toBe(
      'refused',
    );
    expect(await attempt(users.api, (ch) => ch.consume(queue, () => undefined))).toBe('refused');
    expect(await attempt(users.api, (ch) => ch.assertExchange('x', 'fanout'))).toBe('refused');
    // A conductor declares and reads conductor queues only, and publishes nowhere but the
    // default exchange.
    expect(
      await attempt(users.conductor, (ch) => ch.assertQueue('elsewhere', { exclusive: true })),
    ).toBe('refused');
    expect(
      await attempt(users.conductor, async (ch) => {
        await ch.assertQueue(queue, { exclusive: true, autoDelete: true });
        await ch.consume(queue, () => undefined);
      }),
    ).toBe('ok');
    expect(
      await attempt(users.conductor, async (ch) => {
        ch.publish('amq.topic', 'x', Buffer.from('{}'));
        // A refused publish closes the channel; a round trip after it surfaces the refusal.
        await ch.checkExchange('amq.topic');
      }),
    ).toBe('refused');
  });
});
