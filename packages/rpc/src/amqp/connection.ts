import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type ChannelModel } from 'amqplib';
import { RpcConnectionLost } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import { Listeners } from '../listeners';
import { backoffDelay, type BackoffOptions } from './backoff';
import { maskUrl } from './mask-url';
import { coalesceWritesPerTick } from './coalesce-writes';

/** Something that opens channels on each new connection and forgets them when it drops. */
export interface ConnectionUser {
  /** Opens channels, declares queues, starts consumers. A rejection makes the manager reconnect. */
  attach(model: ChannelModel): Promise<void>;
  /** The connection is gone: fail what waits on it. Called once per attach, even a failed one. */
  detach(reason: Error): void;
}

export interface ConnectionManagerOptions {
  url: string;
  logger: Logger;
  connectionName?: string;
  reconnect?: BackoffOptions;
  /** AMQP heartbeat, so a silently dead peer is noticed; default 10 s. */
  heartbeatSeconds?: number;
  /** PEM CA bundle that verifies an amqps:// broker (system CAs when unset). */
  ca?: Buffer | undefined;
}

/**
 * Owns the one AMQP connection of a transport and keeps it up: reconnects with backoff when it
 * closes for any reason and re-attaches every user, until close().
 */
export class ConnectionManager {
  readonly connectedEvents = new Listeners<void>();
  readonly disconnectedEvents = new Listeners<Error>();
  /** Emitted when a connection attempt fails. */
  readonly attemptFailedEvents = new Listeners<void>();
  private readonly users = new Set<ConnectionUser>();
  private model: ChannelModel | undefined;
  private ready = false;
  private closing = false;
  private wakeSleep: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private reconnectCount = 0;
  private failedAttempts = 0;
  private everConnected = false;

  constructor(private readonly opts: ConnectionManagerOptions) {}

  start(): void {
    this.loopDone ??= this.loop();
  }

  get connected(): boolean {
    return this.ready;
  }

  /**
   * Whether the first connection attempt is still under way: until it ends nobody knows whether
   * the broker is reachable. After it, not being connected means the broker is unreachable now.
   */
  get firstAttemptPending(): boolean {
    return !this.everConnected && this.failedAttempts === 0 && !this.closing;
  }

  /** Successful connections after the first one. */
  get reconnects(): number {
    return this.reconnectCount;
  }

  get failedConnectAttempts(): number {
    return this.failedAttempts;
  }

  /** Adds a user; attaches it now when connected, otherwise at the next connection. */
  async addUser(user: ConnectionUser): Promise<void> {
    this.users.add(user);
    const model = this.model;
    if (!this.ready || !model) return;
    try {
      await user.attach(model);
    } catch (error) {
      user.detach(this.lost(error));
      this.reset(error);
    }
  }

  removeUser(user: ConnectionUser): void {
    this.users.delete(user);
  }

  /** Drops the current connection (a user's channel broke); the loop reconnects. */
  reset(reason: unknown): void {
    const model = this.model;
    if (!model) return;
    this.opts.logger.warn('Resetting AMQP connection', { reason: describe(reason) });
    model.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.wakeSleep?.();
    const model = this.model;
    if (model) await model.close().catch(() => undefined);
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    while (!this.closing) {
      const outcome = await this.session();
      if (this.closing) break;
      if (outcome === 'failed') {
        this.failedAttempts += 1;
        attempt += 1;
        this.attemptFailedEvents.emit();
      } else {
        attempt = 0;
      }
      const delay = backoffDelay(attempt, this.opts.reconnect);
      this.opts.logger.warn('Reconnecting to the message broker', {
        broker: maskUrl(this.opts.url),
        attempt: attempt + 1,
        delay_ms: Math.round(delay),
      });
      await this.pause(delay);
    }
  }

  /** One connection's life: 'failed' when it never became ready, 'ended' when it dropped. */
  private async session(): Promise<'failed' | 'ended'> {
    let model: ChannelModel;
    try {
      model = await connect(this.connectUrl(), {
        noDelay: true,
        timeout: 10_000,
        ...(this.opts.ca ? { ca: [this.opts.ca] } : {}),
        clientProperties: this.opts.connectionName
          ? { connection_name: this.opts.connectionName }
          : {},
      });
    } catch (error) {
      this.opts.logger.warn('Could not connect to the message broker', {
        broker: maskUrl(this.opts.url),
        reason: describe(error),
      });
      return 'failed';
    }
    let closeReason: unknown;
    const closed = new Promise<void>((resolve) => {
      model.on('error', (error: unknown) => (closeReason = error));
      model.once('close', (error: unknown) => {
        closeReason ??= error;
        resolve();
      });
    });
    coalesceWritesPerTick(model);
    this.model = model;
    const attached = new Set<ConnectionUser>();
    try {
      if (this.closing) throw new Error('transport closing');
      // Users added while we attach the others are picked up too: addUser leaves them to us.
      let user: ConnectionUser | undefined;
      while ((user = [...this.users].find((u) => !attached.has(u)))) {
        attached.add(user);
        await user.attach(model);
      }
    } catch (error) {
      this.opts.logger.warn('Could not set up channels on the message broker', {
        reason: describe(error),
      });
      this.model = undefined;
      const lost = this.lost(error);
      for (const user of attached) user.detach(lost);
      await model.close().catch(() => undefined);
      return 'failed';
    }
    this.ready = true;
    if (this.everConnected) this.reconnectCount += 1;
    this.everConnected = true;
    this.opts.logger.info('Connected to the message broker', { broker: maskUrl(this.opts.url) });
    this.connectedEvents.emit();

    await closed;
    this.ready = false;
    this.model = undefined;
    const lost = this.lost(closeReason);
    for (const user of [...this.users]) user.detach(lost);
    if (!this.closing) {
      this.opts.logger.warn('Lost the connection to the message broker', {
        broker: maskUrl(this.opts.url),
        reason: describe(closeReason),
      });
    }
    this.disconnectedEvents.emit(lost);
    return 'ended';
  }

  private lost(reason: unknown): RpcConnectionLost {
    const detail = reason === undefined ? '' : ` (${describe(reason)})`;
    return new RpcConnectionLost(
      this.closing
        ? 'The RPC transport was closed.'
        : `The connection to the message broker was lost${detail}.`,
    );
  }

  private connectUrl(): string {
    const url = new URL(this.opts.url);
    if (!url.searchParams.has('heartbeat')) {
      url.searchParams.set('heartbeat', String(this.opts.heartbeatSeconds ?? 10));
    }
    return url.toString();
  }

  private async pause(ms: number): Promise<void> {
    const controller = new AbortController();
    this.wakeSleep = () => controller.abort();
    await sleep(ms, undefined, { signal: controller.signal }).catch(() => undefined);
    this.wakeSleep = undefined;
  }
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'closed' : String(reason);
}
