/**
 * Authenticated JSON requests to one BMC: credentials on every request, one re-login and resend
 * after a 401, `If-Match`, and Redfish error answers turned into typed errors.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createAuthenticator } from './auth';
import type { AuthChannel, AuthType, Authenticator, Credentials } from './auth';
import {
  RedfishAuthError,
  RedfishError,
  RedfishProtocolError,
  Redactor,
  parseErrorBody,
  summarizeMessages,
} from './errors';
import type { ServiceRoot } from './resources';
import type { RedfishLogger, RedfishStats } from './stats';
import { privateLease } from './pool';
import type { HttpMethod, PoolOptions, RedfishPools } from './pool';
import { Transport } from './transport';
import type { TransportResponse } from './transport';

export const SERVICE_ROOT_PATH = '/redfish/v1/';

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as `If-Match`. */
  readonly ifMatch?: string;
  /**
   * May the request be repeated after the BMC may have received it? Defaults to true for GET,
   * PUT, PATCH and DELETE, false for POST.
   */
  readonly idempotent?: boolean;
  readonly timeoutMs?: number;
  /**
   * Repeat an idempotent request answered 429/5xx (default true). Off for task monitors, whose
   * error answer is the operation's outcome and may be served only once.
   */
  readonly retryOnStatus?: boolean;
}

export interface RedfishResponse<T = unknown> {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when the answer had none. */
  readonly body: T | undefined;
  /** `@odata.etag` of the body, else the `ETag` header. */
  readonly etag: string | undefined;
  /** The `Location` header resolved to a path on this BMC. */
  readonly location: string | undefined;
}

export interface ConnectionOptions extends PoolOptions {
  readonly requestTimeoutMs: number;
  readonly retries: number;
  readonly retryBaseDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly maxResponseBytes: number;
  readonly pools: RedfishPools | undefined;
  readonly authType: AuthType;
  readonly credentials: Credentials;
  readonly stats: RedfishStats;
  readonly logger: RedfishLogger;
}

export class Connection {
  readonly redactor = new Redactor();
  readonly #transport: Transport;
  readonly #auth: Authenticator;
  readonly #logger: RedfishLogger;
  readonly #stats: RedfishStats;
  #closing = false;

  constructor(options: ConnectionOptions) {
    const poolOptions: PoolOptions = {
      address: options.address,
      verifyCa: options.verifyCa,
      maxInFlight: options.maxInFlight,
      idleSocketTimeoutMs: options.idleSocketTimeoutMs,
    };
    this.#transport = new Transport({
      ...options,
      lease: options.pools ? options.pools.lease(poolOptions) : privateLease(poolOptions),
    });
    this.#logger = options.logger;
    this.#stats = options.stats;
    const channel: AuthChannel = {
      target: this.#transport.origin,
      sendUnauthenticated: (method, path, opts) =>
        this.#send(method, path, { ...opts, authenticate: false }),
      unauthenticatedServiceRoot: () => this.#unauthenticatedServiceRoot(),
      resolvePath: (link) => this.#transport.resolvePath(link),
    };
    this.#auth = createAuthenticator(options.authType, options.credentials, {
      channel,
      redactor: this.redactor,
      stats: options.stats,
      logger: options.logger,
    });
  }

  get target(): string {
    return this.#transport.origin;
  }

  get authMode(): 'basic' | 'session' | 'none' {
    return this.#auth.mode;
  }

  /** True from the moment close() is called. */
  get closed(): boolean {
    return this.#closing || this.#transport.closed;
  }

  resolvePath(link: string): string {
    return this.#transport.resolvePath(link);
  }

  request<T = unknown>(
    method: HttpMethod,
    path: string,
    options: RequestOptions = {},
  ): Promise<RedfishResponse<T>> {
    if (this.#closing) {
      return Promise.reject(
        new RedfishError('the Redfish client is closed', { target: this.target, method, path }),
      );
    }
    return this.#send<T>(method, path, { ...options, authenticate: true });
  }

  /** Logs out (deletes the session) and closes the connection pool. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    await this.#auth.close();
    await this.#transport.close();
  }

  async #send<T>(
    method: HttpMethod,
    rawPath: string,
    options: RequestOptions & { authenticate: boolean; headers?: Record<string, string> },
  ): Promise<RedfishResponse<T>> {
    const path = this.#transport.resolvePath(rawPath);
    this.redactor.addFromBody(options.body);
    const idempotent = options.idempotent ?? method !== 'POST';
    const baseHeaders: Record<string, string> = {
      Accept: 'application/json',
      'OData-Version': '4.0',
      'User-Agent': 'redfish-ts (Galvanic)',
      ...options.headers,
    };
    if (options.ifMatch !== undefined) baseHeaders['If-Match'] = options.ifMatch;
    const sendWith = async (authHeaders: Record<string, string>) =>
      this.#transport.request({
        method,
        path,
        headers: { ...baseHeaders, ...authHeaders },
        body: options.body,
        idempotent,
        timeoutMs: options.timeoutMs,
        retryOnStatus: options.retryOnStatus,
      });

    let authHeaders = options.authenticate ? await this.#auth.headers() : {};
    let response = await sendWith(authHeaders);
    // A 401 means the BMC did not act on the request, so resending it is safe even for actions.
    if (
      response.status === 401 &&
      options.authenticate &&
      (await this.#auth.reauthenticate(authHeaders))
    ) {
      authHeaders = await this.#auth.headers();
      response = await sendWith(authHeaders);
    }
    return this.#interpret<T>(method, path, response);
  }

  #interpret<T>(method: HttpMethod, path: string, response: TransportResponse): RedfishResponse<T> {
    const context = { target: this.target, method, path, status: response.status };
    let body: unknown;
    let parseFailed = false;
    const text = response.body.toString('utf8');
    if (text.trim().length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        parseFailed = true;
      }
    }
    if (response.status >= 400) {
      this.#stats.httpErrors++;
      const parsed = parseErrorBody(body);
      const messages = this.redactor.messages(parsed.messages);
      const detail = this.redactor.text(
        summarizeMessages(messages) || parsed.message || httpReason(response.status),
      );
      const code = parsed.code === undefined ? undefined : this.redactor.text(parsed.code);
      const message = `HTTP ${response.status}${code ? ` ${code}` : ''}: ${detail}`;
      const ErrorClass =
        response.status === 401 || response.status === 403 ? RedfishAuthError : RedfishError;
      throw new ErrorClass(message, { ...context, code, messages });
    }
    if (parseFailed) {
      // The body is not quoted: it could be anything, including echoed secrets.
      throw new RedfishProtocolError('the answer is not valid JSON', context);
    }
    const headerEtag = response.headers.etag;
    const bodyEtag =
      typeof body === 'object' && body !== null
        ? (body as { '@odata.etag'?: unknown })['@odata.etag']
        : undefined;
    const location = response.headers.location;
    return {
      status: response.status,
      headers: response.headers,
      body: body as T | undefined,
      etag: typeof bodyEtag === 'string' ? bodyEtag : headerEtag,
      location: location ? this.#transport.resolvePath(location) : undefined,
    };
  }

  async #unauthenticatedServiceRoot(): Promise<ServiceRoot | undefined> {
    try {
      const response = await this.#send<ServiceRoot>('GET', SERVICE_ROOT_PATH, {
        authenticate: false,
      });
      return response.body;
    } catch (err) {
      if (err instanceof RedfishAuthError) {
        this.#logger.debug('the service root needs credentials', { target: this.target });
        return undefined;
      }
      throw err;
    }
  }

  toJSON(): string {
    return `Connection(${this.target})`;
  }
}

function httpReason(status: number): string {
  const reasons: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    412: 'Precondition Failed',
    415: 'Unsupported Media Type',
    428: 'Precondition Required',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    501: 'Not Implemented',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return reasons[status] ?? 'HTTP error';
}
