import type { Logger } from '@galvanic/logging';
import type { RpcClientTransport, RpcServerTransport } from '../transport';
import { MessageAuthenticator } from '../message-auth';
import type { BackoffOptions } from './backoff';
import { AmqpClientTransport, type AmqpClientOptions } from './client';
import { ConnectionManager } from './connection';
import { AmqpServerTransport, type AmqpServerOptions } from './server';

export interface AmqpTransportOptions {
  url: string;
  /** Prefix of every queue name, so deployments (and test runs) sharing a broker stay apart. */
  namespace: string;
  logger: Logger;
  /** Shown in the RabbitMQ management UI. */
  connectionName?: string;
  reconnect?: BackoffOptions;
  heartbeatSeconds?: number;
  /** PEM CA bundle that verifies an amqps:// broker (`[oslo_messaging_rabbit] ssl_ca_file`). */
  ca?: Buffer | undefined;
  /**
   * The deployment's shared RPC message key: calls and replies carry an HMAC-SHA256 made with it
   * and messages without a valid one are dropped. Without it nothing is signed or checked
   * (services refuse to run so unless told they may; see `[rpc] insecure_unauthenticated`).
   */
  messageKey?: Uint8Array;
}

export interface AmqpTransportMetrics {
  connected: boolean;
  reconnects: number;
  failedConnectAttempts: number;
  /** Replies dropped by this transport's clients because they failed authentication. */
  forgedRepliesDropped: number;
}

type ConnectionEvent = 'connected' | 'disconnected';

/**
 * RPC over RabbitMQ with one connection per transport, kept up across broker restarts and network
 * drops. Connecting starts at construction; `connected` and the events report readiness.
 */
export class AmqpTransport {
  private readonly manager: ConnectionManager;
  private readonly namespace: string;
  private readonly logger: Logger;
  private readonly owned = new Set<{ close(): Promise<void> }>();
  private readonly clients = new Set<AmqpClientTransport>();
  private readonly authenticator: MessageAuthenticator | undefined;

  constructor(opts: AmqpTransportOptions) {
    this.namespace = opts.namespace;
    this.logger = opts.logger;
    const { messageKey, ...connection } = opts;
    // The key goes no further than the authenticator: nothing else holds (or could log) it.
    this.authenticator = messageKey ? new MessageAuthenticator(messageKey) : undefined;
    this.manager = new ConnectionManager(connection);
    this.manager.start();
  }

  client(options: AmqpClientOptions = {}): RpcClientTransport {
    const client = new AmqpClientTransport(
      this.manager,
      this.namespace,
      this.logger,
      this.authenticator,
      options,
    );
    this.own(client);
    this.clients.add(client);
    void this.manager.addUser(client);
    return client;
  }

  server(host: string, options: AmqpServerOptions = {}): RpcServerTransport {
    const server = new AmqpServerTransport(
      this.manager,
      this.namespace,
      host,
      this.logger,
      this.authenticator,
      options,
    );
    this.own(server);
    void this.manager.addUser(server);
    return server;
  }

  get connected(): boolean {
    return this.manager.connected;
  }

  get metrics(): AmqpTransportMetrics {
    return {
      connected: this.manager.connected,
      reconnects: this.manager.reconnects,
      failedConnectAttempts: this.manager.failedConnectAttempts,
      forgedRepliesDropped: [...this.clients].reduce((n, c) => n + c.forgedRepliesDropped, 0),
    };
  }

  /** Resolves once connected (immediately if already); rejects when `signal` aborts first. */
  waitForConnection(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.manager.connected) return resolve();
      const off = this.manager.connectedEvents.add(() => {
        signal?.removeEventListener('abort', onAbort);
        off();
        resolve();
      });
      const onAbort = () => {
        off();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Subscribes to connection changes; returns the function that unsubscribes. */
  on(event: ConnectionEvent, listener: () => void): () => void {
    return event === 'connected'
      ? this.manager.connectedEvents.add(listener)
      : this.manager.disconnectedEvents.add(() => listener());
  }

  /** Closes every client and server made from this transport, then the connection. */
  async close(): Promise<void> {
    for (const user of [...this.owned]) await user.close();
    await this.manager.close();
  }

  private own(user: { close(): Promise<void> }): void {
    this.owned.add(user);
  }
}
