import type { Logger } from '@galvanic/logging';
import type { RpcClientTransport, RpcServerTransport } from '../transport';
import type { BackoffOptions } from './backoff';
import { AmqpClientTransport } from './client';
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
}

export interface AmqpTransportMetrics {
  connected: boolean;
  reconnects: number;
  failedConnectAttempts: number;
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

  constructor(opts: AmqpTransportOptions) {
    this.namespace = opts.namespace;
    this.logger = opts.logger;
    this.manager = new ConnectionManager(opts);
    this.manager.start();
  }

  client(): RpcClientTransport {
    const client = new AmqpClientTransport(this.manager, this.namespace, this.logger);
    this.own(client);
    void this.manager.addUser(client);
    return client;
  }

  server(host: string, options: AmqpServerOptions = {}): RpcServerTransport {
    const server = new AmqpServerTransport(
      this.manager,
      this.namespace,
      host,
      this.logger,
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
