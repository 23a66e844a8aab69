import { Agent, request } from 'node:http';

/** A keep-alive HTTP client for load generation. */
export function httpClient(baseUrl: string, sockets: number, headers: Record<string, string> = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const base = new URL(baseUrl);
  const send = (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          method,
          path,
          agent,
          headers: payload ? { ...headers, 'Content-Length': Buffer.byteLength(payload) } : headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  return {
    request: send,
    async expect(method: string, path: string, status: number): Promise<void> {
      const result = await send(method, path);
      if (result.status !== status) throw new Error(`${method} ${path} answered ${result.status}`);
    },
    /** GET that resolves on 2xx; kept for the platform workloads. */
    async get(path: string): Promise<void> {
      const result = await send('GET', path);
      if (result.status >= 300) throw new Error(`GET ${path} answered ${result.status}`);
    },
    close: () => agent.destroy(),
  };
}

/** The platform workloads' name for the same client. */
export const httpGetter = httpClient;
