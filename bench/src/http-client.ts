import { Agent, request } from 'node:http';

/** A keep-alive HTTP GET that resolves on a 2xx answer and rejects otherwise. */
export function httpGetter(
  baseUrl: string,
  concurrency: number,
  headers: Record<string, string> = {},
) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const base = new URL(baseUrl);
  return {
    get(path: string): Promise<void> {
      return new Promise((resolve, reject) => {
        const req = request(
          { host: base.hostname, port: base.port, path, agent, headers },
          (res) => {
            res.resume();
            res.on('end', () =>
              res.statusCode && res.statusCode < 300
                ? resolve()
                : reject(new Error(`HTTP ${res.statusCode}`)),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
}
