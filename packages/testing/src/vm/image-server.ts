import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';

/** A web server standing in for an image store (Glance, a web server): serves files of one directory. */
export interface ImageServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** How many GETs each file name got: proves an image was downloaded once. */
  requests(name: string): number;
  close(): Promise<void>;
}

export async function startImageServer(dir: string): Promise<ImageServer> {
  const counts = new Map<string, number>();
  const server = createServer((request, response) => {
    const name = basename(decodeURIComponent((request.url ?? '/').split('?')[0] ?? '/'));
    counts.set(name, (counts.get(name) ?? 0) + 1);
    try {
      response.end(readFileSync(join(dir, name)));
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: (name) => counts.get(name) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
