/**
 * The boot HTTP server: serves `[deploy] http_root` read-only (GET and HEAD) so machines can fetch
 * their iPXE scripts, kernels, ramdisks and ISOs, and BMCs their virtual media. Paths never leave
 * http_root.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';
import type { Logger } from '@galvanic/logging';

export interface RunningHttpRootServer {
  readonly port: number;
  close(): Promise<void>;
}

async function fileUnder(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const base = await realpath(root);
  try {
    const path = await realpath(resolve(base, `.${decoded}`));
    if (!path.startsWith(base + sep)) return undefined;
    return (await stat(path)).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

export async function startHttpRootServer(options: {
  root: string;
  host: string;
  port: number;
  logger: Logger;
}): Promise<RunningHttpRootServer> {
  const { root, logger } = options;
  const server: Server = createServer((request, response) => {
    void (async () => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const path = await fileUnder(root, request.url ?? '/');
      if (!path) {
        logger.debug('boot file not found', { path: request.url });
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found\n');
        return;
      }
      const { size } = await stat(path);
      response.writeHead(200, {
        'Content-Length': String(size),
        'Content-Type': 'application/octet-stream',
      });
      if (request.method === 'HEAD') {
        response.end();
        return;
      }
      createReadStream(path)
        .on('error', () => response.destroy())
        .pipe(response);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => ready());
  });
  const port = (server.address() as AddressInfo).port;
  logger.info('serving http_root', { root, host: options.host, port });
  return {
    port,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
