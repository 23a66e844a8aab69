import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel, ChannelModel, ConsumeMessage, Message } from 'amqplib';
import { RpcConnectionLost, RpcUnreachable } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import type { OutgoingCall, RpcClientTransport } from '../transport';
import {
  conductorQueueName,
  HEADER_CALLER,
  HEADER_CONTRACT_VERSION,
  HEADER_DEADLINE,
  HEADER_ISSUED_AT,
  HEADER_MAC,
  HEADER_REQUEST_ID,
} from '../wire';
import { RpcCallNotDelivered, RpcCallNotSent } from '../delivery';
import type { MessageAuthenticator } from '../message-auth';
import type { ConnectionManager, ConnectionUser } from './connection';

const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

interface Pending {
  call: OutgoingCall;
  sentAt: number;
  /** The MAC the call was sent with, which its reply's MAC must cover. */
  mac: string | undefined;
  /** When the broker first returned the call unrouted, if it did. */
  firstReturnAt?: number;
  /** Returned unrouted and not yet published again: no conductor has it. */
  waitingForQueue?: boolean;
  resolve(body: string): void;
  reject(error: Error): void;
}

/** How long a call waits for its reply before the client checks its conductor is still there. */
const PROBE_AFTER_MS = 1000;
/** How often a call whose conductor queue is missing looks for it again, within its wait. */
const QUEUE_POLL_MS = 100;

export interface AmqpClientOptions {
  /**
   * How long a call whose conductor has no queue (the broker returned it unrouted) waits for the
   * queue to come back before failing as unreachable: conductors re-declare their queues some
   * moments after a broker restart, and may do so after the caller reconnected. 0 fails at once.
   */
  queueWaitMs?: number;
}

/**
 * Publishes calls to `${namespace}.conductor.${host}` and takes replies through direct reply-to.
 * RabbitMQ requires the publish and the reply-to consumer to share a channel, so there is one.
 */
export class AmqpClientTransport implements RpcClientTransport, ConnectionUser {
  private channel: Channel | undefined;
  private model: ChannelModel | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly pending = new Map<string, Pending>();
  /** Woken when a channel comes up, the client closes, or a connection attempt ends. */
  private readonly channelWaiters = new Set<() => void>();
  private closed = false;
  private forgedReplies = 0;

  constructor(
    private readonly manager: ConnectionManager,
    private readonly namespace: string,
    private readonly logger: Logger,
    private readonly authenticator: MessageAuthenticator | undefined,
    private readonly options: AmqpClientOptions = {},
  ) {
    this.stopWatchingAttempts = manager.attemptFailedEvents.add(() => this.wakeWaiters());
  }

  private readonly stopWatchingAttempts: () => void;

  /** Replies dropped because their MAC was missing or wrong. */
  get forgedRepliesDropped(): number {
    return this.forgedReplies;
  }

  get connected(): boolean {
    return this.channel !== undefined;
  }

  async attach(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: unknown) =>
      this.logger.warn('AMQP client channel error', { error }),
    );
    channel.on('return', (message: Message) => this.onReturn(message));
    // Deferred: when the whole connection drops, channels close first and detach follows in the
    // same turn, so only a channel that died under a live connection is still current here.
    channel.once('close', () =>
      setImmediate(() => {
        if (this.channel === channel) this.manager.reset(new Error('RPC client channel closed'));
      }),
    );
    await channel.consume(DIRECT_REPLY_TO, (message) => this.onReply(message), { noAck: true });
    this.channel = channel;
    this.model = model;
    this.wakeWaiters();
  }

  detach(reason: Error): void {
    this.channel = undefined;
    this.model = undefined;
    this.wakeWaiters();
    const inFlight = [...this.pending.values()];
    this.pending.clear();
    for (const entry of inFlight) {
      entry.reject(
        new RpcConnectionLost(
          `${reason.message} RPC call ${entry.call.method} to conductor ${entry.call.target} ` +
            'may or may not have run.',
        ),
      );
    }
  }

  async send(call: OutgoingCall, signal: AbortSignal): Promise<string> {
    if (this.closed) throw new RpcConnectionLost('The RPC client is closed.');
    // Only a client whose link is being set up waits for it (the transport's first connection, or
    // this client's channel on a live one); once the broker is known to be unreachable (a failed
    // attempt, a lost link), calls fail at once as not sent instead of holding their callers
    // until the deadline.
    if (!this.channel && this.linkSettingUp()) await this.linkSetUp(signal);
    const channel = this.channel;
    if (!channel) {
      throw new RpcCallNotSent(
        `The message broker is unreachable: RPC call ${call.method} to conductor ${call.target} ` +
          'was not sent.',
      );
    }
    const correlationId = randomUUID();
    return new Promise<string>((resolve, reject) => {
      const cleanup = () => {
        signal.removeEventListener('abort', onAbort);
        this.pending.delete(correlationId);
      };
      const onAbort = () => {
        cleanup();
        reject(signal.reason as Error);
      };
      if (signal.aborted) return reject(signal.reason as Error);
      this.scheduleProbe();
      signal.addEventListener('abort', onAbort);
      this.pending.set(correlationId, {
        call,
        sentAt: Date.now(),
        mac: undefined,
        resolve: (body) => (cleanup(), resolve(body)),
        reject: (error) => (cleanup(), reject(error)),
      });
      const entry = this.pending.get(correlationId)!;
      entry.mac = this.authenticator?.signCall({
        destination: conductorQueueName(this.namespace, call.target),
        messageId: correlationId,
        ...call,
      });
      try {
        this.publish(channel, correlationId, entry);
      } catch (error) {
        cleanup();
        reject(
          new RpcConnectionLost(
            `Could not publish RPC call ${call.method} to conductor ${call.target}: ` +
              `${(error as Error).message}.`,
          ),
        );
      }
    });
  }

  private linkSettingUp(): boolean {
    return this.manager.firstAttemptPending || this.manager.connected;
  }

  /** Resolves when the channel is up or the link turned out to be down; rejects on abort. */
  private linkSetUp(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (signal.aborted) finish(() => reject(signal.reason as Error));
        else if (this.channel || this.closed || !this.linkSettingUp()) finish(resolve);
      };
      const finish = (fn: () => void) => {
        this.channelWaiters.delete(check);
        signal.removeEventListener('abort', check);
        fn();
      };
      this.channelWaiters.add(check);
      signal.addEventListener('abort', check);
      check();
    });
  }

  private publish(channel: Channel, correlationId: string, entry: Pending): void {
    const { call, mac } = entry;
    const remaining = Math.max(1, Math.ceil(call.deadline - Date.now()));
    channel.publish('', conductorQueueName(this.namespace, call.target), Buffer.from(call.body), {
      mandatory: true,
      replyTo: DIRECT_REPLY_TO,
      correlationId,
      expiration: String(remaining),
      contentType: 'application/json',
      headers: {
        [HEADER_REQUEST_ID]: call.requestId,
        [HEADER_CALLER]: call.caller,
        [HEADER_DEADLINE]: call.deadline,
        [HEADER_ISSUED_AT]: call.issuedAt,
        [HEADER_CONTRACT_VERSION]: call.contractVersion,
        ...(mac === undefined ? {} : { [HEADER_MAC]: mac }),
      },
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.manager.removeUser(this);
    this.stopWatchingAttempts();
    const channel = this.channel;
    this.detach(new RpcConnectionLost('The RPC client was closed.'));
    this.wakeWaiters();
    await channel?.close().catch(() => undefined);
  }

  private wakeWaiters(): void {
    for (const wake of [...this.channelWaiters]) wake();
  }

  private onReply(message: ConsumeMessage | null): void {
    if (!message) return;
    const entry = this.pending.get(String(message.properties.correlationId));
    if (!entry) return; // The caller already gave up.
    const body = message.content.toString('utf8');
    if (this.authenticator) {
      const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
      const mac = typeof headers[HEADER_MAC] === 'string' ? headers[HEADER_MAC] : undefined;
      if (!this.authenticator.verifyReply(entry.mac ?? '', body, mac)) {
        // Not from the conductor: keep waiting for the real reply (or the deadline).
        this.forgedReplies += 1;
        this.logger.warn('Dropping an RPC reply that failed authentication', {
          target: entry.call.target,
          method: entry.call.method,
          request_id: entry.call.requestId,
          reason: mac === undefined ? 'no MAC' : 'wrong MAC',
        });
        return;
      }
    }
    entry.resolve(body);
  }

  private scheduleProbe(): void {
    if (this.probeTimer || this.closed) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      void this.probeStalledTargets().finally(() => {
        if (this.pending.size > 0) this.scheduleProbe();
      });
    }, PROBE_AFTER_MS);
    this.probeTimer.unref();
  }

  /**
   * A message published in the moment between a conductor's death and the broker deleting its
   * queue is dropped with the queue, and no return tells the caller. So for calls waiting longer
   * than PROBE_AFTER_MS the client asks the broker whether their conductor's queue still has a
   * consumer, and fails them at once when it has not, instead of letting them wait out the deadline.
   */
  private async probeStalledTargets(): Promise<void> {
    const model = this.model;
    if (this.probing || !model) return;
    this.probing = true;
    try {
      const now = Date.now();
      const stalled = new Set<string>();
      for (const entry of this.pending.values()) {
        if (now - entry.sentAt >= PROBE_AFTER_MS) stalled.add(entry.call.target);
      }
      for (const target of stalled) {
        if (await this.consumerIsGone(model, target)) this.failCallsTo(target, now);
      }
    } catch (error) {
      this.logger.debug('Could not probe conductor queues', { error });
    } finally {
      this.probing = false;
    }
  }

  private async consumerIsGone(model: ChannelModel, target: string): Promise<boolean> {
    // A passive check of a missing queue closes its channel, so each probe gets its own.
    const probe = await model.createChannel();
    probe.on('error', () => undefined);
    try {
      const { consumerCount } = await probe.checkQueue(conductorQueueName(this.namespace, target));
      await probe.close().catch(() => undefined);
      return consumerCount === 0;
    } catch (error) {
      return String((error as Error).message).includes('NOT_FOUND');
    }
  }

  private failCallsTo(target: string, sentBefore: number): void {
    for (const entry of [...this.pending.values()]) {
      // A call waiting for its queue to return was delivered to nobody; its own wait decides.
      if (entry.call.target !== target || entry.sentAt > sentBefore || entry.waitingForQueue) {
        continue;
      }
      entry.reject(
        new RpcUnreachable(
          `Conductor ${target} stopped consuming from the message bus while RPC call ` +
            `${entry.call.method} was waiting; the call may or may not have run.`,
        ),
      );
    }
  }

  /**
   * The broker routed a call to no queue, so nobody got it. Within the client's queue wait, it is
   * published again once its conductor's queue is back; otherwise it fails as not delivered.
   */
  private onReturn(message: Message): void {
    const correlationId = String(message.properties.correlationId);
    const entry = this.pending.get(correlationId);
    if (!entry) return;
    const waitUntil = Math.min(
      entry.call.deadline,
      (entry.firstReturnAt ??= Date.now()) + (this.options.queueWaitMs ?? 0),
    );
    entry.waitingForQueue = true;
    void this.republishWhenQueueReturns(correlationId, entry, waitUntil);
  }

  private async republishWhenQueueReturns(
    correlationId: string,
    entry: Pending,
    waitUntil: number,
  ): Promise<void> {
    const undelivered = () =>
      new RpcCallNotDelivered(
        `Conductor ${entry.call.target} is not reachable over the message bus; ` +
          `RPC call ${entry.call.method} was not delivered.`,
      );
    for (;;) {
      if (this.pending.get(correlationId) !== entry) return; // answered, timed out, or link lost
      const model = this.model;
      const channel = this.channel;
      if (!model || !channel) return; // detach fails it
      try {
        if (!(await this.consumerIsGone(model, entry.call.target))) {
          if (this.pending.get(correlationId) !== entry || this.channel !== channel) return;
          entry.waitingForQueue = false;
          this.publish(channel, correlationId, entry);
          return;
        }
      } catch (error) {
        this.logger.debug('Could not look for a conductor queue', { error });
      }
      if (Date.now() + QUEUE_POLL_MS > waitUntil) {
        entry.reject(undelivered());
        return;
      }
      await sleep(QUEUE_POLL_MS);
    }
  }
}
