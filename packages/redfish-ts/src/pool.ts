/**
 * The connection pool of one BMC origin: keep-alive connections for requests that may be
 * repeated, fresh connections for those that may not, and a bound on requests in flight. One
 * attempt per call; the retry policy is the caller's (transport.ts).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import {
  RedfishConnectionError,
  RedfishError,
  RedfishProtocolError,
  RedfishTimeout,
  RedfishTlsError,
} from './errors';
import { ConcurrencyLimiter } from './limiter';
import { recordLatency } from './stats';
import type { RedfishLogger, RedfishStats } from './stats';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Ironic's `redfish_verify_ca`: system CAs, no verification, or a PEM CA bundle file. */
export type VerifyCa = boolean | string;

export interface PoolOptions {
  /** `https://host[:port]`, `http://host[:port]`, or a bare host (HTTPS assumed, as Ironic does). */
  readonly address: string;
  readonly verifyCa: VerifyCa;
  readonly maxInFlight: number;
  readonly idleSocketTimeoutMs: number;
}

export interface PoolRequest {
  readonly method: HttpMethod;
  /** Absolute path on the origin (with query), e.g. `/redfish/v1/Systems`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /**
   * Whether the request may be repeated after the BMC may have received it. Such requests use
   * pooled keep-alive connections; the others a fresh connection each.
   */
  readonly idempotent: boolean;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

/** Where a request's counters and log lines go: the client that made it. */
export interface RequestObserver {
  readonly stats: RedfishStats;
  readonly logger: RedfishLogger;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Node / OpenSSL error codes that mean the TLS handshake or certificate check failed. */
const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

export function isTlsErrorCode(code: string | undefined): boolean {
  return (
    code !== undefined &&
    (TLS_ERROR_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'))
  );
}

/** Parses a BMC address into its origin; refuses credentials in the URL and non-HTTP schemes. */
export function parseAddress(address: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `https://${address}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    // The address is not echoed: it could carry credentials.
    throw new RedfishError('the Redfish address is not a valid URL');
  }
  if (url.username || url.password) {
    throw new RedfishError('the Redfish address must not contain credentials');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RedfishError(`unsupported scheme ${url.protocol} in the Redfish address`);
  }
  if (url.pathname !== '/' && url.pathname !== '' && url.pathname !== '/redfish/v1/') {
    throw new RedfishError('the Redfish address must be an origin (scheme, host and port)');
  }
  return new URL(url.origin);
}

export class OriginPool {
  readonly origin: string;
  readonly #url: URL;
  readonly #https: boolean;
  readonly #options: PoolOptions;
  readonly #limiter: ConcurrencyLimiter;
  /** Keep-alive pool for requests that may be repeated. */
  #pooledAgent: http.Agent | undefined;
  /**
   * Requests that must not be repeated once sent go out on a fresh connection: a pooled one may
   * have been closed by the BMC just as we write to it, and then we could not tell whether the
   * BMC got the request.
   */
  #freshAgent: http.Agent | undefined;
  #closed = false;

  constructor(options: PoolOptions) {
    this.#options = options;
    this.#url = parseAddress(options.address);
    this.origin = this.#url.origin;
    this.#https = this.#url.protocol === 'https:';
    this.#limiter = new ConcurrencyLimiter(options.maxInFlight);
  }

  /** Resolves a link from a BMC answer to a path on this origin; refuses other origins. */
  resolvePath(link: string): string {
    if (link.startsWith('/') && !link.startsWith('//')) return link;
    let url: URL;
    try {
      url = new URL(link, this.#url);
    } catch {
      throw new RedfishProtocolError('the BMC sent a link that is not a URL', {
        target: this.origin,
      });
    }
    if (url.origin !== this.origin) {
      // Following it would send our credentials to another host.
      throw new RedfishProtocolError(`the BMC sent a link to another origin (${url.origin})`, {
        target: this.origin,
      });
    }
    return `${url.pathname}${url.search}`;
  }

  /** One attempt, after waiting for a free slot under `maxInFlight`. */
  async send(req: PoolRequest, observer: RequestObserver): Promise<HttpAnswer> {
    const { stats } = observer;
    stats.queued++;
    return this.#limiter.run(async () => {
      stats.queued--;
      if (this.#closed) {
        throw new RedfishError('the Redfish client is closed', {
          target: this.origin,
          method: req.method,
          path: req.path,
        });
      }
      stats.inFlight++;
      try {
        return await this.#attempt(req, observer);
      } finally {
        stats.inFlight--;
      }
    });
  }

  close(): void {
    this.#closed = true;
    this.#pooledAgent?.destroy();
    this.#freshAgent?.destroy();
  }

  #agent(pooled: boolean): http.Agent {
    const existing = pooled ? this.#pooledAgent : this.#freshAgent;
    if (existing) return existing;
    const common = {
      keepAlive: pooled,
      maxSockets: this.#options.maxInFlight,
      // For pooled agents this is how long an idle connection is kept (Node lowers it further
      // when the BMC announces a shorter Keep-Alive timeout).
      timeout: this.#options.idleSocketTimeoutMs,
      scheduling: 'lifo' as const,
    };
    const agent = this.#https
      ? new https.Agent({ ...common, ...this.#tlsOptions() })
      : new http.Agent(common);
    if (pooled) this.#pooledAgent = agent;
    else this.#freshAgent = agent;
    return agent;
  }

  #tlsOptions(): https.AgentOptions {
    const verify = this.#options.verifyCa;
    if (verify === false) return { rejectUnauthorized: false };
    if (verify === true) return { rejectUnauthorized: true };
    let ca: Buffer;
    try {
      ca = readFileSync(verify);
    } catch (err) {
      throw new RedfishTlsError(`cannot read the CA bundle ${verify}`, {
        target: this.origin,
        errno: (err as NodeJS.ErrnoException).code,
        requestMayHaveBeenSent: false,
      });
    }
    return { rejectUnauthorized: true, ca };
  }

  #attempt(req: PoolRequest, observer: RequestObserver): Promise<HttpAnswer> {
    const { stats, logger } = observer;
    const { timeoutMs, maxResponseBytes } = req;
    const agent = this.#agent(req.idempotent);
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string> = { ...req.headers };
    if (payload) {
      headers['Content-Type'] = 'application/json; charset=utf-8';
      headers['Content-Length'] = String(payload.length);
    }
    const context = { target: this.origin, method: req.method, path: req.path };
    stats.requests++;

    return new Promise<HttpAnswer>((resolve, reject) => {
      const started = performance.now();
      let connected = false;
      let timedOut = false;
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const options: http.RequestOptions = {
        protocol: this.#url.protocol,
        hostname: this.#url.hostname.replace(/^\[|\]$/g, ''),
        port: this.#url.port || (this.#https ? 443 : 80),
        method: req.method,
        path: req.path,
        headers,
        agent,
      };
      const request = (this.#https ? https : http).request(options, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxResponseBytes) {
            request.destroy();
            settle(() =>
              reject(
                new RedfishProtocolError(`answer larger than ${maxResponseBytes} bytes`, {
                  ...context,
                  status: res.statusCode,
                }),
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          settle(() => {
            const ms = performance.now() - started;
            recordLatency(stats, ms);
            logger.debug('redfish request', {
              ...context,
              status: res.statusCode,
              ms: Math.round(ms),
            });
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
            });
          }),
        );
        res.on('error', (err) => onError(err));
      });
      request.on('socket', (socket) => {
        if (request.reusedSocket) {
          connected = true;
          return;
        }
        // A TLS handshake that fails means the HTTP request was never written.
        socket.once(this.#https ? 'secureConnect' : 'connect', () => {
          connected = true;
        });
      });
      const onError = (err: Error) =>
        settle(() => {
          const code = (err as NodeJS.ErrnoException).code;
          if (timedOut) {
            stats.timeouts++;
            reject(
              new RedfishTimeout(`no answer within ${timeoutMs} ms`, {
                ...context,
                timeoutMs,
                requestMayHaveBeenSent: connected,
              }),
            );
            return;
          }
          stats.connectionErrors++;
          if (!connected && isTlsErrorCode(code)) {
            reject(
              new RedfishTlsError(`TLS handshake failed: ${err.message}`, {
                ...context,
                errno: code,
                requestMayHaveBeenSent: false,
                cause: err,
              }),
            );
            return;
          }
          reject(
            new RedfishConnectionError(`connection failed: ${err.message}`, {
              ...context,
              errno: code,
              requestMayHaveBeenSent: connected,
              cause: err,
            }),
          );
        });
      request.on('error', onError);
      const timer = setTimeout(() => {
        timedOut = true;
        request.destroy(new Error('timeout'));
      }, timeoutMs);
      request.end(payload);
    });
  }
}

interface PoolEntry {
  readonly pool: OriginPool;
  users: number;
}

/** A pool in use by one client; `release()` once, when the client closes. */
export interface PoolLease {
  readonly pool: OriginPool;
  release(): void;
}

/**
 * Pools shared between clients: one per (BMC origin, verify CA), so clients for the same BMC
 * (another user name, auth type) share its connections and its in-flight bound. The first
 * client's `maxInFlight` and `idleSocketTimeoutMs` set the pool's. A pool closes when its last
 * client releases it.
 */
export class RedfishPools {
  readonly #pools = new Map<string, PoolEntry>();

  lease(options: PoolOptions): PoolLease {
    const key = JSON.stringify([parseAddress(options.address).origin, options.verifyCa]);
    let entry = this.#pools.get(key);
    if (!entry) {
      entry = { pool: new OriginPool(options), users: 0 };
      this.#pools.set(key, entry);
    }
    const leased = entry;
    leased.users++;
    let released = false;
    return {
      pool: leased.pool,
      release: () => {
        if (released) return;
        released = true;
        if (--leased.users > 0) return;
        leased.pool.close();
        if (this.#pools.get(key) === leased) this.#pools.delete(key);
      },
    };
  }

  /** Pools open now. */
  get size(): number {
    return this.#pools.size;
  }

  toString(): string {
    return `RedfishPools(${this.#pools.size})`;
  }
}

/** A pool of its own for a client that shares none. */
export function privateLease(options: PoolOptions): PoolLease {
  const pool = new OriginPool(options);
  return { pool, release: () => pool.close() };
}
