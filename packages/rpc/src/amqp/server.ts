import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { RpcConnectionLost } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import type { IncomingCall, IncomingHeaders, QueueStats, RpcServerTransport } from '../transport';
import {
  conductorQueueName,
  HEADER_CALLER,
  HEADER_CONTRACT_VERSION,
  HEADER_DEADLINE,
  HEADER_ISSUED_AT,
  HEADER_MAC,
  HEADER_REQUEST_ID,
} from '../wire';
import type { MessageAuthenticator } from '../message-auth';
import { ReplayGuard } from '../replay-guard';
import type { ConnectionManager, ConnectionUser } from './connection';

export interface AmqpServerOptions {
  /** Unacknowledged calls the broker may hand this server at once; default 64. */
  prefetch?: number;
}

interface Channels {
  consume: Channel;
  publish: Channel;
  acks: AckBatcher;
}

/**
 * Acknowledges settled deliveries together: the longest settled run from the oldest delivery goes
 * in one `multiple` ack, and only out-of-order stragglers are acked alone. The flush runs as a
 * microtask, right after the settling code, because amqplib sends channel frames from a
 * setImmediate: an ack queued now leaves in the same socket write as the reply just published,
 * where one flushed from a setImmediate of its own missed it and cost a write (and a loop turn)
 * of its own.
 */
class AckBatcher {
  private readonly outstanding: number[] = [];
  private readonly settled = new Set<number>();
  private scheduled = false;

  constructor(private readonly channel: Channel) {}

  delivered(tag: number): void {
    this.outstanding.push(tag);
  }

  settle(tag: number): void {
    this.settled.add(tag);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    let upTo: number | undefined;
    while (this.outstanding.length > 0 && this.settled.has(this.outstanding[0]!)) {
      upTo = this.outstanding.shift()!;
      this.settled.delete(upTo);
    }
    try {
      if (upTo !== undefined) this.channel.ack(deliveryTagged(upTo), true);
      for (const tag of this.settled) {
        this.channel.ack(deliveryTagged(tag), false);
        this.outstanding.splice(this.outstanding.indexOf(tag), 1);
      }
    } catch {
      // The channel died; its deliveries die with it and nothing is redelivered (exclusive queue).
    }
    this.settled.clear();
  }
}

function deliveryTagged(tag: number): ConsumeMessage {
  return { fields: { deliveryTag: tag } } as ConsumeMessage;
}

/**
 * Consumes `${namespace}.conductor.${host}`: exclusive and auto-delete, so the queue dies with
 * this connection (or when the consumer is cancelled) and no call is ever redelivered to another
 * process. Acks manually once the handler has replied, so prefetch bounds the work in progress.
 */
export class AmqpServerTransport implements RpcServerTransport, ConnectionUser {
  private channels: Channels | undefined;
  private model: ChannelModel | undefined;
  private onCall: ((call: IncomingCall) => void) | undefined;
  private listening = false;
  private consumerTag: string | undefined;
  private consuming: Promise<void> | undefined;
  private readonly consumingWaiters = new Set<{ resolve(): void; reject(e: Error): void }>();
  private closed = false;
  private readonly queue: string;
  private readonly prefetch: number;
  private unauthenticated = 0;
  private readonly replays = new ReplayGuard();

  constructor(
    private readonly manager: ConnectionManager,
    namespace: string,
    private readonly host: string,
    private readonly logger: Logger,
    private readonly authenticator: MessageAuthenticator | undefined,
    options: AmqpServerOptions = {},
  ) {
    this.queue = conductorQueueName(namespace, host);
    this.prefetch = options.prefetch ?? 64;
  }

  get connected(): boolean {
    return this.channels !== undefined;
  }

  get unauthenticatedDropped(): number {
    return this.unauthenticated;
  }

  async attach(model: ChannelModel): Promise<void> {
    const consume = await model.createChannel();
    const publish = await model.createChannel();
    const channels = { consume, publish, acks: new AckBatcher(consume) };
    for (const channel of [consume, publish]) {
      channel.on('error', (error: unknown) =>
        this.logger.warn('AMQP server channel error', { error, queue: this.queue }),
      );
      // Deferred: when the whole connection drops, channels close first and detach follows in
      // the same turn, so only a channel that died on its own is still current here.
      channel.once('close', () =>
        setImmediate(() => {
          if (this.channels === channels)
            this.manager.reset(new Error('RPC server channel closed'));
        }),
      );
    }
    await consume.prefetch(this.prefetch);
    this.channels = channels;
    this.model = model;
    this.consuming = undefined;
    this.consumerTag = undefined;
    if (this.listening) await this.ensureConsuming();
  }

  detach(): void {
    this.channels = undefined;
    this.model = undefined;
    this.consuming = undefined;
    this.consumerTag = undefined;
  }

  async listen(onCall: (call: IncomingCall) => void): Promise<void> {
    if (this.closed) throw new Error('The RPC server transport is closed');
    this.onCall = onCall;
    this.listening = true;
    if (this.channels) {
      try {
        return await this.ensureConsuming();
      } catch {
        // The failed declare closed the channel; the reconnect that follows retries it.
      }
    }
    // Not consuming yet: the next successful attach starts the consumer and wakes us.
    return new Promise((resolve, reject) => this.consumingWaiters.add({ resolve, reject }));
  }

  /**
   * The queue's depth and consumers, as the broker counts them. Only this connection may look at
   * its exclusive queue, so the conductor reads it (on a channel of its own: a failed check closes
   * the channel it ran on).
   */
  async queueStats(): Promise<QueueStats | undefined> {
    const model = this.model;
    if (!model || !this.consumerTag) return undefined;
    const probe = await model.createChannel();
    probe.on('error', () => undefined);
    try {
      const { messageCount, consumerCount } = await probe.checkQueue(this.queue);
      return { messagesReady: messageCount, consumers: consumerCount };
    } finally {
      await probe.close().catch(() => undefined);
    }
  }

  async stopListening(): Promise<void> {
    // The handler stays: deliveries already on their way still reach the server, which refuses
    // them with an error reply rather than leaving their callers to time out.
    this.listening = false;
    const tag = this.consumerTag;
    const channel = this.channels?.consume;
    this.consumerTag = undefined;
    this.consuming = undefined;
    // Cancelling the only consumer deletes the auto-delete queue: later calls fail fast as
    // unreachable instead of waiting in a queue nobody reads.
    if (tag && channel) await channel.cancel(tag).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stopListening();
    this.onCall = undefined;
    this.manager.removeUser(this);
    const channels = this.channels;
    this.detach();
    for (const waiter of this.consumingWaiters) {
      waiter.reject(new RpcConnectionLost('The RPC server transport was closed.'));
    }
    this.consumingWaiters.clear();
    await channels?.consume.close().catch(() => undefined);
    await channels?.publish.close().catch(() => undefined);
  }

  private ensureConsuming(): Promise<void> {
    const channels = this.channels;
    if (!channels) return Promise.resolve();
    this.consuming ??= this.startConsumer(channels);
    return this.consuming;
  }

  private async startConsumer(channels: Channels): Promise<void> {
    try {
      await channels.consume.assertQueue(this.queue, {
        exclusive: true,
        autoDelete: true,
        durable: false,
      });
    } catch (error) {
      if (String(error).includes('RESOURCE_LOCKED')) {
        this.logger.error(
          'Another process holds the RPC queue of this host; is a second conductor running with the same host name?',
          { queue: this.queue },
        );
      }
      throw error;
    }
    const { consumerTag } = await channels.consume.consume(
      this.queue,
      (message) => this.receive(channels, message),
      { noAck: false },
    );
    this.consumerTag = consumerTag;
    this.logger.info('Consuming RPC calls', { queue: this.queue, host: this.host });
    for (const waiter of this.consumingWaiters) waiter.resolve();
    this.consumingWaiters.clear();
  }

  private receive(channels: Channels, message: ConsumeMessage | null): void {
    if (!message) {
      // The broker cancelled us (queue deleted behind our back): rebuild from scratch.
      if (this.listening) this.manager.reset(new Error(`consumer of ${this.queue} was cancelled`));
      return;
    }
    channels.acks.delivered(message.fields.deliveryTag);
    const body = message.content.toString('utf8');
    const headers = readHeaders(message.properties.headers);
    const mac = this.authenticate(
      body,
      headers,
      message.properties.headers,
      message.properties.correlationId,
    );
    const call = this.toIncoming(channels, message, body, headers, mac);
    if (mac === false) {
      // Acked so the broker never hands it to anyone again; never run, never answered.
      call.settle();
      return;
    }
    if (this.onCall) this.onCall(call);
    else call.settle();
  }

  /**
   * With a key: the call's MAC when it is genuine and new, false (counted and logged, without the
   * key or the MAC) when it is missing, wrong, or a replay of a call already accepted. Without a
   * key: undefined, and every call goes through.
   */
  private authenticate(
    body: string,
    headers: IncomingHeaders,
    raw: Record<string, unknown> | undefined,
    messageId: unknown,
  ): string | false | undefined {
    if (!this.authenticator) return undefined;
    const given = typeof raw?.[HEADER_MAC] === 'string' ? raw[HEADER_MAC] : undefined;
    const { requestId, caller, deadline, issuedAt, contractVersion } = headers;
    const genuine =
      given !== undefined &&
      typeof messageId === 'string' &&
      requestId !== undefined &&
      caller !== undefined &&
      deadline !== undefined &&
      issuedAt !== undefined &&
      contractVersion !== undefined &&
      this.authenticator.verifyCall(
        {
          destination: this.queue,
          messageId,
          body,
          requestId,
          caller,
          deadline,
          issuedAt,
          contractVersion,
        },
        given,
      );
    const replayed = genuine && !this.replays.accept(given, deadline);
    if (genuine && !replayed) return given;
    this.unauthenticated += 1;
    this.logger.warn('Dropping an RPC message that failed authentication', {
      queue: this.queue,
      claimed_request_id: headers.requestId,
      claimed_caller: headers.caller,
      reason: replayed
        ? 'a replay of a call already accepted'
        : given === undefined
          ? 'no MAC'
          : 'wrong MAC or altered envelope',
    });
    return false;
  }

  private toIncoming(
    channels: Channels,
    message: ConsumeMessage,
    body: string,
    headers: IncomingHeaders,
    callMac: string | false | undefined,
  ): IncomingCall {
    const { replyTo, correlationId } = message.properties;
    let settled = false;
    return {
      body,
      headers,
      replyable: typeof replyTo === 'string' && replyTo.length > 0,
      reply: (replyBody) => {
        const publish = this.channels?.publish;
        if (!replyTo || !publish || callMac === false) return;
        const mac =
          callMac === undefined ? undefined : this.authenticator?.signReply(callMac, replyBody);
        publish.sendToQueue(replyTo, Buffer.from(replyBody), {
          correlationId,
          contentType: 'application/json',
          ...(mac === undefined ? {} : { headers: { [HEADER_MAC]: mac } }),
        });
      },
      settle: () => {
        // A message can only be acked on the channel that delivered it, and only while it lives.
        if (settled || this.channels !== channels) return;
        settled = true;
        channels.acks.settle(message.fields.deliveryTag);
      },
    };
  }
}

function readHeaders(raw: unknown): IncomingHeaders {
  const headers = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  const epochMs = (value: unknown) =>
    value !== undefined && Number.isFinite(Number(value)) ? Number(value) : undefined;
  return {
    requestId: text(headers[HEADER_REQUEST_ID]),
    caller: text(headers[HEADER_CALLER]),
    deadline: epochMs(headers[HEADER_DEADLINE]),
    issuedAt: epochMs(headers[HEADER_ISSUED_AT]),
    contractVersion: text(headers[HEADER_CONTRACT_VERSION]),
  };
}
