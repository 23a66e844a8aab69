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

export interface ApiRequestOptions {
  /** Microversion 1.`minor`; 82 when unset, no version header when null. */
  minor?: number | null;
  /** Sent as JSON, with its Content-Type. */
  body?: unknown;
  /** Further headers, e.g. a Host. */
  headers?: Record<string, string>;
}

/** A request to Ironic's API as its clients send one: a microversion and a JSON body. */
export function apiRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: ApiRequestOptions = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.minor !== null)
    headers['X-OpenStack-Ironic-API-Version'] = `1.${options.minor ?? 82}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return sendHttp(baseUrl, method, path, headers, body);
}

/** A timestamp as Ironic writes it. */
export const IRONIC_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/;

/** Ironic's `self` and `bookmark` links to `path` under `baseUrl`. */
export function ironicLinks(baseUrl: string, path: string): { href: string; rel: string }[] {
  return [
    { href: `${baseUrl}/v1/${path}`, rel: 'self' },
    { href: `${baseUrl}/${path}`, rel: 'bookmark' },
  ];
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
