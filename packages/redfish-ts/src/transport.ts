/**
 * The retry policy over a BMC's connection pool: a timeout per attempt, and bounded retries with
 * backoff (honouring `Retry-After`) for what is safe to repeat.
 */
import { RedfishConnectionError, RedfishError, RedfishTimeout, RedfishTlsError } from './errors';
import type { HttpAnswer, HttpMethod, PoolLease } from './pool';
import type { RedfishLogger, RedfishStats } from './stats';

export interface TransportOptions {
  readonly lease: PoolLease;
  readonly requestTimeoutMs: number;
  readonly retries: number;
  readonly retryBaseDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly maxResponseBytes: number;
  readonly stats: RedfishStats;
  readonly logger: RedfishLogger;
}

export interface TransportRequest {
  readonly method: HttpMethod;
  /** Absolute path on the origin (with query), e.g. `/redfish/v1/Systems`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /**
   * Whether the request may be repeated after the BMC may have received it. False requests are
   * only retried when no connection was ever established for them.
   */
  readonly idempotent: boolean;
  readonly timeoutMs?: number;
  /** Repeat an idempotent request answered 429/5xx (default true). */
  readonly retryOnStatus?: boolean;
}

export type TransportResponse = HttpAnswer;

/** Statuses worth repeating an idempotent request for. 501 (not implemented) is final. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or bad. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now = Date.now(),
): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export class Transport {
  readonly origin: string;
  readonly #options: TransportOptions;
  #closed = false;
  /** Pending backoff waits; close() ends them so their requests fail as closed at once. */
  readonly #sleepers = new Map<NodeJS.Timeout, () => void>();

  constructor(options: TransportOptions) {
    this.#options = options;
    this.origin = options.lease.pool.origin;
  }

  /** Resolves a link from a BMC answer to a path on this origin; refuses other origins. */
  resolvePath(link: string): string {
    return this.#options.lease.pool.resolvePath(link);
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    const { retries, stats } = this.#options;
    for (let attempt = 0; ; attempt++) {
      this.#assertOpen(req);
      let response: TransportResponse;
      try {
        response = await this.#options.lease.pool.send(
          {
            ...req,
            timeoutMs: req.timeoutMs ?? this.#options.requestTimeoutMs,
            maxResponseBytes: this.#options.maxResponseBytes,
          },
          { stats, logger: this.#options.logger },
        );
      } catch (err) {
        if (!this.#mayRetryAfterError(req, err) || attempt >= retries || this.#closed) throw err;
        const wait = this.#backoff(attempt);
        this.#options.logger.debug('redfish request failed, retrying', {
          target: this.origin,
          method: req.method,
          path: req.path,
          error: (err as Error).name,
          attempt: attempt + 1,
          waitMs: wait,
        });
        stats.retries++;
        await this.#sleep(wait);
        continue;
      }
      const retryOnStatus = req.idempotent && req.retryOnStatus !== false;
      if (retryOnStatus && RETRYABLE_STATUSES.has(response.status) && attempt < retries) {
        const retryAfter =
          response.status === 503 || response.status === 429
            ? parseRetryAfter(response.headers['retry-after'])
            : undefined;
        const wait = Math.min(retryAfter ?? this.#backoff(attempt), this.#options.maxRetryDelayMs);
        this.#options.logger.debug('redfish request answered with a retryable status', {
          target: this.origin,
          method: req.method,
          path: req.path,
          status: response.status,
          attempt: attempt + 1,
          waitMs: wait,
        });
        stats.retries++;
        await this.#sleep(wait);
        continue;
      }
      return response;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const [timer, wake] of this.#sleepers) {
      clearTimeout(timer);
      wake();
    }
    this.#sleepers.clear();
    this.#options.lease.release();
  }

  get closed(): boolean {
    return this.#closed;
  }

  #assertOpen(req: TransportRequest): void {
    if (this.#closed) {
      throw new RedfishError('the Redfish client is closed', {
        target: this.origin,
        method: req.method,
        path: req.path,
      });
    }
  }

  #mayRetryAfterError(req: TransportRequest, err: unknown): boolean {
    if (err instanceof RedfishTlsError) return false;
    if (err instanceof RedfishConnectionError || err instanceof RedfishTimeout) {
      return req.idempotent || !err.requestMayHaveBeenSent;
    }
    return false;
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(
      this.#options.retryBaseDelayMs * 2 ** attempt,
      this.#options.maxRetryDelayMs,
    );
    // Half fixed, half random: BMCs restarted together are not hammered in lockstep.
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#sleepers.delete(timer);
        resolve();
      }, ms);
      this.#sleepers.set(timer, resolve);
    });
  }
}
