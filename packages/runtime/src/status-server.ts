import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface StatusServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** Resolves when ready; rejects with the reason when not. */
  ready(): Promise<void>;
  /** Serve HTTPS with this certificate and key (`[conductor] enable_ssl_status`). */
  tls?: { cert: Buffer; key: Buffer } | undefined;
}

export interface RunningStatusServer {
  readonly port: number;
  close(): Promise<void>;
}

/** A small HTTP server for Kubernetes probes and Prometheus: /healthz, /readyz, /metrics. */
export async function startStatusServer(
  options: StatusServerOptions,
): Promise<RunningStatusServer> {
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/healthz') return send(200, { status: 'ok' });
    if (path === '/readyz') {
      options.ready().then(
        () => send(200, { status: 'ready' }),
        (error: unknown) =>
          send(503, {
            status: 'not ready',
            reason: error instanceof Error ? error.message : String(error),
          }),
      );
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': options.registry.contentType });
          res.end(text);
        },
        () => send(500, { status: 'error' }),
      );
      return;
    }
    send(404, { status: 'not found' });
  };
  const server: Server = options.tls
    ? createHttpsServer(options.tls, handle)
    : createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
