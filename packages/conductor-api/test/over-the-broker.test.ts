import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conductorQueueName,
  HEADER_CALLER,
  HEADER_CONTRACT_VERSION,
  HEADER_DEADLINE,
  HEADER_ISSUED_AT,
  HEADER_MAC,
  HEADER_REQUEST_ID,
  MessageAuthenticator,
} from '@galvanic/rpc';
import {
  queryDatabase,
  sendHttp,
  startSplitMode,
  TEST_AMQP_URL,
  TEST_RPC_MESSAGE_KEY,
  type SplitMode,
} from '@galvanic/testing';
import { CONDUCTOR_CONTRACT_VERSION } from '../src';

const INJECTED_KEY =
  "description = (SELECT 'INJECTED user=' || current_user || ' ' || version()), extra";

/**
 * What a conductor does with messages that reach its queue from outside Galvanic's own clients:
 * forged ones (no valid MAC) and signed but hostile ones.
 */
describe('a conductor facing hostile messages on the broker', () => {
  let cluster: SplitMode;
  let broker: ChannelModel;
  let channel: Channel;
  let queue: string;
  const replies = new Map<string, (body: unknown) => void>();
  let node: { uuid: string; id: number };

  beforeAll(async () => {
    cluster = await startSplitMode({ conductors: ['c1'] });
    queue = conductorQueueName(cluster.namespace, 'c1');
    broker = await connect(TEST_AMQP_URL);
    channel = await broker.createChannel();
    await channel.consume(
      'amq.rabbitmq.reply-to',
      (message) => {
        if (!message) return;
        replies.get(String(message.properties.correlationId))?.(
          JSON.parse(message.content.toString('utf8')),
        );
      },
      { noAck: true },
    );
    const created = await sendHttp(
      cluster.apiUrl,
      'POST',
      '/v1/nodes',
      { 'Content-Type': 'application/json', 'X-OpenStack-Ironic-API-Version': 'latest' },
      JSON.stringify({ driver: 'fake-hardware', name: 'victim', description: 'original' }),
    );
    expect(created.status).toBe(201);
    const uuid = (created.body as { uuid: string }).uuid;
    const [row] = await queryDatabase<{ id: number }>(
      cluster.database.url,
      'SELECT id FROM nodes WHERE uuid = $1',
      [uuid],
    );
    node = { uuid, id: row!.id };
  });

  afterAll(async () => {
    await broker?.close().catch(() => undefined);
    await cluster?.stop();
  });

  /**
   * Publishes straight to c1's queue, as a client of contract `contractVersion` (this package's by
   * default); signed with `key` when given. Resolves with the reply.
   */
  function publish(
    method: string,
    args: Record<string, unknown>,
    key?: string,
    contractVersion = CONDUCTOR_CONTRACT_VERSION,
  ): Promise<unknown> {
    const body = JSON.stringify({ method, args });
    const issuedAt = Date.now();
    const correlationId = randomUUID();
    const envelope = {
      destination: queue,
      messageId: correlationId,
      body,
      requestId: `req-${randomUUID()}`,
      caller: 'made-up-client',
      deadline: issuedAt + 10_000,
      issuedAt,
      contractVersion,
    };
    const mac = key ? new MessageAuthenticator(Buffer.from(key)).signCall(envelope) : undefined;
    const reply = new Promise<unknown>((resolve) => replies.set(correlationId, resolve));
    channel.publish('', queue, Buffer.from(body), {
      replyTo: 'amq.rabbitmq.reply-to',
      correlationId,
      contentType: 'application/json',
      headers: {
        [HEADER_REQUEST_ID]: envelope.requestId,
        [HEADER_CALLER]: envelope.caller,
        [HEADER_DEADLINE]: envelope.deadline,
        [HEADER_ISSUED_AT]: envelope.issuedAt,
        [HEADER_CONTRACT_VERSION]: envelope.contractVersion,
        ...(mac ? { [HEADER_MAC]: mac } : {}),
      },
    });
    return reply;
  }

  async function stored(): Promise<Record<string, unknown>> {
    const [row] = await queryDatabase<Record<string, unknown>>(
      cluster.database.url,
      'SELECT description, extra, power_state, target_power_state, updated_at FROM nodes WHERE id = $1',
      [node.id],
    );
    return row!;
  }

  /** A gauge of c1's /metrics. */
  async function gauge(name: string): Promise<number> {
    const started = /"status_port":(\d+)/.exec(cluster.conductors.get('c1')!.output());
    const metrics = await sendHttp(`http://127.0.0.1:${started![1]}`, 'GET', '/metrics');
    const line = new RegExp(`^${name} (\\d+)`, 'm').exec(metrics.text);
    return Number(line?.[1] ?? NaN);
  }

  const droppedCount = () => gauge('galvanic_rpc_server_unauthenticated_dropped_total');

  it('drops a change_node_power_state from a client without the key, and counts it in /metrics', async () => {
    const before = await stored();
    const droppedBefore = await droppedCount();
    expect(droppedBefore).toBe(0);
    void publish('change_node_power_state', {
      node_id: node.id,
      node_uuid: node.uuid,
      target: before.power_state === 'power on' ? 'power off' : 'power on',
    });
    const until = Date.now() + 10_000;
    while ((await droppedCount()) === droppedBefore && Date.now() < until) await sleep(100);
    expect(await droppedCount()).toBe(droppedBefore + 1);
    // Had it run, the fake power interface would have switched the node at once.
    await sleep(500);
    expect(await stored()).toEqual(before);
    const log = cluster.conductors.get('c1')!.output();
    expect(log).toMatch(/failed authentication/);
    expect(log).not.toContain(TEST_RPC_MESSAGE_KEY);
  });

  it('refuses a signed update_node whose changes name anything but an updatable field', async () => {
    const before = await stored();
    for (const key of [INJECTED_KEY, 'power_state', 'driver_internal_info']) {
      const reply = (await publish(
        'update_node',
        { node_id: node.id, node_uuid: node.uuid, changes: { [key]: { x: 1 } } },
        TEST_RPC_MESSAGE_KEY,
      )) as { error?: { kind: string } };
      expect(reply.error?.kind).toBe('InvalidParameterValue');
    }
    expect(await stored()).toEqual(before);
    expect(before.description).toBe('original');
    // A well-formed update still goes through the same way.
    const ok = (await publish(
      'update_node',
      { node_id: node.id, node_uuid: node.uuid, changes: { description: 'updated' } },
      TEST_RPC_MESSAGE_KEY,
    )) as { result?: unknown; error?: unknown };
    expect(ok).toEqual({ result: {} });
    expect((await stored()).description).toBe('updated');
  });

  it('refuses a signed call of another contract major, naming both versions, and counts it', async () => {
    const before = await stored();
    const refusedBefore = await gauge('galvanic_rpc_server_incompatible_contract_refused_total');
    expect(refusedBefore).toBe(0);
    const [major] = CONDUCTOR_CONTRACT_VERSION.split('.');
    const otherMajor = `${Number(major) + 1}.0`;
    const reply = (await publish(
      'update_node',
      { node_id: node.id, node_uuid: node.uuid, changes: { description: 'from another major' } },
      TEST_RPC_MESSAGE_KEY,
      otherMajor,
    )) as { error?: { kind: string; status: number; message: string } };
    expect(reply.error).toMatchObject({ kind: 'IncompatibleRpcContract', status: 500 });
    expect(reply.error!.message).toContain(`speaks RPC contract ${CONDUCTOR_CONTRACT_VERSION}`);
    expect(reply.error!.message).toContain(`uses contract ${otherMajor}`);
    expect(await gauge('galvanic_rpc_server_incompatible_contract_refused_total')).toBe(1);
    expect(await stored()).toEqual(before);
  });

  it('runs a signed call of a newer minor of its contract major', async () => {
    const [major, minor] = CONDUCTOR_CONTRACT_VERSION.split('.');
    const newerMinor = `${major}.${Number(minor) + 3}`;
    const reply = await publish(
      'update_node',
      { node_id: node.id, node_uuid: node.uuid, changes: { description: 'from a newer minor' } },
      TEST_RPC_MESSAGE_KEY,
      newerMinor,
    );
    expect(reply).toEqual({ result: {} });
    expect((await stored()).description).toBe('from a newer minor');
  });

  it(
    'a split-mode conductor refuses to start without a key, or with a short one, unless told to run insecure',
    { timeout: 90_000 },
    async () => {
      const keyless = cluster.start('services/conductor/src/main.ts', {
        GALVANIC_DEFAULT__HOST: 'keyless',
        GALVANIC_RPC__MESSAGE_KEY: '',
      });
      expect(await keyless.exited()).toBe(1);
      expect(keyless.output()).toMatch(/needs an RPC message key/);
      const short = cluster.start('services/api/src/main.ts', {
        GALVANIC_DEFAULT__HOST: 'short',
        GALVANIC_RPC__MESSAGE_KEY: 'too-short-a-key',
      });
      expect(await short.exited()).toBe(1);
      expect(short.output()).toMatch(/needs at least 32/);
      expect(short.output()).not.toContain('too-short-a-key');
      const insecure = cluster.start('services/conductor/src/main.ts', {
        GALVANIC_DEFAULT__HOST: 'insecure',
        GALVANIC_RPC__MESSAGE_KEY: '',
        GALVANIC_RPC__INSECURE_UNAUTHENTICATED: 'true',
      });
      try {
        await insecure.waitFor(/conductor started/, 60_000);
        expect(insecure.output()).toMatch(/RPC messages are not authenticated/);
      } finally {
        insecure.kill('SIGKILL');
        await insecure.exited();
      }
    },
  );
});
