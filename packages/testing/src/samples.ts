import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { REPO_ROOT } from './process';

/** Request/response pairs recorded from a real Ironic, kept as fixtures of this package. */
export const SAMPLES_DIR =
  process.env.GALVANIC_SAMPLES_DIR ?? resolve(REPO_ROOT, 'packages/testing/fixtures/ironic-api');

export interface Sample {
  request: { method: string; path: string; headers: Record<string, string>; body: unknown };
  response: {
    status: number;
    headers: Record<string, string>;
    body: unknown;
    body_raw: string;
  };
}

export function loadSample(name: string): Sample {
  return JSON.parse(readFileSync(resolve(SAMPLES_DIR, name), 'utf8')) as Sample;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: unknown;
}

/** Sends a raw HTTP request, Host header included, as curl did when the sample was recorded. */
export function sendHttp(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<HttpResult> {
  const url = new URL(path, baseUrl);
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = null;
          try {
            parsed = text ? (JSON.parse(text) as unknown) : null;
          } catch {
            parsed = null;
          }
          const flat: Record<string, string> = {};
          for (const [key, value] of Object.entries(res.headers)) {
            if (value !== undefined)
              flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolvePromise({ status: res.statusCode ?? 0, headers: flat, text, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Replays a sample's request against a server, with the sample's own headers and body. */
export function replaySample(baseUrl: string, sample: Sample): Promise<HttpResult> {
  const headers = { ...sample.request.headers };
  delete headers['Content-Length'];
  const body =
    sample.request.body === null || sample.request.body === undefined
      ? undefined
      : typeof sample.request.body === 'string'
        ? sample.request.body
        : JSON.stringify(sample.request.body);
  return sendHttp(baseUrl, sample.request.method, sample.request.path, headers, body);
}

/** Parses Ironic's doubly encoded error body into its inner object. */
export function innerError(body: unknown): Record<string, unknown> {
  const outer = body as { error_message?: string };
  if (typeof outer?.error_message !== 'string')
    throw new Error(`not an Ironic error body: ${JSON.stringify(body)}`);
  return JSON.parse(outer.error_message) as Record<string, unknown>;
}
