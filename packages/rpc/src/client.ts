import { randomUUID } from 'node:crypto';
import { GalvanicError, InternalError, RpcTimeout, errorFromWire } from '@galvanic/errors';
import { currentLogContext, type Logger } from '@galvanic/logging';
import { ContractVersion } from './contract-version';
import { validate, validateArgsOrThrow, type RpcMethod } from './method';
import { KindCounter, LatencyRecorder, type RpcCallEvent, type RpcClientMetrics } from './metrics';
import { Listeners } from './listeners';
import type { RpcClientTransport } from './transport';
import { decodeReply, encodeRequest } from './wire';

export interface CallOptions {
  timeoutMs?: number;
  requestId?: string;
  /**
   * When the request was first issued (epoch ms): a call sent again for the same request keeps
   * the original time, so a conductor orders it as the request it is. Now by default.
   */
  issuedAt?: number;
}

export interface RpcClientOptions {
  transport: RpcClientTransport;
  /** Who is calling (service and host), sent as `x-caller`. */
  caller: string;
  logger: Logger;
  /** The contract version (`major.minor`) this client speaks, sent with every call. */
  contractVersion: string;
  defaultTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export class RpcClient {
  private readonly transport: RpcClientTransport;
  private readonly caller: string;
  /** Where this client logs; callers that wrap it (routing, retries) log there too. */
  readonly logger: Logger;
  /** How long a call waits for its reply unless told otherwise. */
  readonly defaultTimeoutMs: number;
  readonly contractVersion: ContractVersion;
  private readonly latency = new LatencyRecorder();
  private readonly errors = new KindCounter();
  private readonly callListeners = new Listeners<RpcCallEvent>();
  private counts = { calls: 0, succeeded: 0, failed: 0 };
  private readonly inFlight = new Map<string, number>();

  constructor(opts: RpcClientOptions) {
    this.transport = opts.transport;
    this.caller = opts.caller;
    this.logger = opts.logger;
    this.defaultTimeoutMs = opts.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.contractVersion = ContractVersion.parse(opts.contractVersion);
  }

  /**
   * Calls `method` on conductor `targetHost`. Rejects with the remote error (kind, status and
   * message kept), RpcTimeout, RpcUnreachable or RpcConnectionLost; bad `args` throw
   * InvalidParameterValue before anything is sent.
   */
  async call<A, R>(
    targetHost: string,
    method: RpcMethod<A, R>,
    args: A,
    options: CallOptions = {},
  ): Promise<R> {
    const requestId = options.requestId ?? currentLogContext()?.requestId ?? `req-${randomUUID()}`;
    const started = performance.now();
    this.counts.calls += 1;
    this.inFlight.set(targetHost, (this.inFlight.get(targetHost) ?? 0) + 1);
    try {
      const result = await this.invoke(targetHost, method, args, requestId, options);
      this.finish(targetHost, method.name, requestId, started, 'ok');
      return result;
    } catch (error) {
      const kind = error instanceof GalvanicError ? error.kind : 'InternalError';
      this.finish(targetHost, method.name, requestId, started, kind);
      throw error;
    } finally {
      const left = this.inFlight.get(targetHost)! - 1;
      if (left > 0) this.inFlight.set(targetHost, left);
      else this.inFlight.delete(targetHost);
    }
  }

  /** Calls waiting for their reply now, by conductor host (hosts with none are left out). */
  inFlightByHost(): ReadonlyMap<string, number> {
    return this.inFlight;
  }

  get metrics(): RpcClientMetrics {
    return {
      ...this.counts,
      errorsByKind: this.errors.snapshot(),
      latency: this.latency.snapshot(),
    };
  }

  /** Listens to every finished call; returns the function that stops listening. */
  onCall(listener: (event: RpcCallEvent) => void): () => void {
    return this.callListeners.add(listener);
  }

  get connected(): boolean {
    return this.transport.connected;
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  private async invoke<A, R>(
    target: string,
    method: RpcMethod<A, R>,
    args: A,
    requestId: string,
    options: CallOptions,
  ): Promise<R> {
    const body = encodeRequest(method.name, validateArgsOrThrow(method, args));
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const issuedAt = options.issuedAt ?? Date.now();
    const deadline = Date.now() + timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const why = this.transport.connected ? '' : ': the message broker is unreachable';
      controller.abort(
        new RpcTimeout(
          `RPC call ${method.name} to conductor ${target} timed out after ${timeoutMs} ms${why}.`,
        ),
      );
    }, timeoutMs);
    let replyText: string;
    try {
      replyText = await this.transport.send(
        {
          target,
          method: method.name,
          body,
          requestId,
          caller: this.caller,
          deadline,
          issuedAt,
          contractVersion: this.contractVersion.toString(),
        },
        controller.signal,
      );
    } finally {
      clearTimeout(timer);
    }
    return this.readReply(target, method, requestId, replyText);
  }

  private readReply<R>(
    target: string,
    method: RpcMethod<unknown, R>,
    requestId: string,
    text: string,
  ): R {
    const decoded = decodeReply(text);
    if (!decoded.ok) throw this.malformed(target, method.name, requestId, decoded.reason);
    const reply = decoded.value;
    if ('error' in reply) throw errorFromWire(reply.error);
    const checked = validate(method.result, reply.result);
    if (!checked.ok) throw this.malformed(target, method.name, requestId, checked.message);
    return checked.value;
  }

  private malformed(target: string, method: string, requestId: string, reason: string): Error {
    this.logger.error('Malformed RPC reply', { method, target, request_id: requestId, reason });
    return new InternalError(
      `Malformed reply to RPC call ${method} from conductor ${target}: ${reason}`,
    );
  }

  private finish(
    host: string,
    method: string,
    requestId: string,
    started: number,
    outcome: string,
  ): void {
    const durationMs = performance.now() - started;
    this.latency.record(durationMs);
    if (outcome === 'ok') {
      this.counts.succeeded += 1;
    } else {
      this.counts.failed += 1;
      this.errors.increment(outcome);
    }
    this.logger.debug('RPC call finished', {
      method,
      target: host,
      request_id: requestId,
      duration_ms: Math.round(durationMs * 10) / 10,
      outcome,
    });
    this.callListeners.emit({ method, host, requestId, durationMs, outcome });
  }
}
