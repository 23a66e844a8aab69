import {
  ConductorLeaving,
  GalvanicError,
  IncompatibleRpcContract,
  InternalError,
  InvalidParameterValue,
  ServiceUnavailable,
} from '@galvanic/errors';
import { runWithLogContext, type Logger } from '@galvanic/logging';
import { ContractVersion } from './contract-version';
import { pingMethod, validate, type RpcMethod } from './method';
import { KindCounter, LatencyRecorder, type RpcCallEvent, type RpcServerMetrics } from './metrics';
import { Listeners } from './listeners';
import type { IncomingCall, QueueStats, RpcServerTransport } from './transport';
import { decodeRequest, encodeError, encodeResult } from './wire';

export interface RpcCallContext {
  requestId: string;
  caller: string;
  /** Epoch ms after which the caller has given up. */
  deadline: number;
  /** When the caller sent the call, epoch ms (the time of receipt when the sender gave none). */
  issuedAt: number;
  /** Aborted when the deadline passes or when drain() gives up on the call. */
  signal: AbortSignal;
}

export type RpcHandler<A, R> = (args: A, ctx: RpcCallContext) => Promise<R>;

export interface RpcServerOptions {
  transport: RpcServerTransport;
  host: string;
  logger: Logger;
  /** The contract version (`major.minor`) this server speaks: calls of another major are refused. */
  contractVersion: string;
}

export interface DrainOutcome {
  /** Whether every in-flight call finished before the deadline. */
  completed: boolean;
  /** Calls still running at the deadline, whose signal was aborted. */
  abandoned: number;
}

interface Registered {
  method: RpcMethod<unknown, unknown>;
  handler: RpcHandler<unknown, unknown>;
}

/** Used when a raw message carries no deadline header. */
const FALLBACK_DEADLINE_MS = 60_000;

export class RpcServer {
  private readonly transport: RpcServerTransport;
  private readonly host: string;
  private readonly logger: Logger;
  readonly contractVersion: ContractVersion;
  private readonly methods = new Map<string, Registered>();
  private readonly running = new Set<AbortController>();
  private readonly idleWaiters = new Set<() => void>();
  private readonly latency = new LatencyRecorder();
  private readonly errors = new KindCounter();
  private readonly callListeners = new Listeners<RpcCallEvent>();
  private counts = {
    calls: 0,
    succeeded: 0,
    failed: 0,
    expiredDropped: 0,
    malformedRejected: 0,
    incompatibleContractRefused: 0,
    rejectedWhileDraining: 0,
  };
  private accepting = false;
  private lastCallAt = Number.NEGATIVE_INFINITY;

  constructor(opts: RpcServerOptions) {
    this.transport = opts.transport;
    this.host = opts.host;
    this.logger = opts.logger;
    this.contractVersion = ContractVersion.parse(opts.contractVersion);
    this.register(pingMethod, async () => ({ host: this.host, time: Date.now() }));
  }

  register<A, R>(method: RpcMethod<A, R>, handler: RpcHandler<A, R>): void {
    if (this.methods.has(method.name) && method.name !== pingMethod.name) {
      throw new Error(`RPC method ${method.name} is already registered`);
    }
    this.methods.set(method.name, {
      method: method as RpcMethod<unknown, unknown>,
      handler: handler as RpcHandler<unknown, unknown>,
    });
  }

  async start(): Promise<void> {
    this.accepting = true;
    await this.transport.listen((call) => this.receive(call));
  }

  /**
   * Stops taking calls, waits up to `timeoutMs` for the running ones, then aborts the rest
   * through their context signal.
   */
  async drain(timeoutMs: number): Promise<DrainOutcome> {
    const deadline = Date.now() + timeoutMs;
    this.accepting = false;
    await this.transport.stopListening();
    if (this.running.size > 0) await this.waitIdle(deadline - Date.now());
    const abandoned = this.running.size;
    if (abandoned > 0) {
      this.logger.warn('Drain deadline passed; aborting running RPC calls', { abandoned });
      const reason = new ServiceUnavailable(`Conductor ${this.host} is shutting down.`);
      for (const controller of this.running) controller.abort(reason);
    }
    return { completed: abandoned === 0, abandoned };
  }

  async close(): Promise<void> {
    this.accepting = false;
    await this.transport.close();
  }

  /** Milliseconds since the last call arrived (any call, refused or not); Infinity if none. */
  get quietForMs(): number {
    return performance.now() - this.lastCallAt;
  }

  get inFlight(): number {
    return this.running.size;
  }

  get connected(): boolean {
    return this.transport.connected;
  }

  /** The broker's count of this server's queue; undefined without a broker or a connection. */
  async queueStats(): Promise<QueueStats | undefined> {
    return this.transport.queueStats?.();
  }

  get metrics(): RpcServerMetrics {
    return {
      ...this.counts,
      unauthenticatedDropped: this.transport.unauthenticatedDropped,
      errorsByKind: this.errors.snapshot(),
      latency: this.latency.snapshot(),
    };
  }

  /** Listens to every call whose handler ran; returns the function that stops listening. */
  onCall(listener: (event: RpcCallEvent) => void): () => void {
    return this.callListeners.add(listener);
  }

  private receive(call: IncomingCall): void {
    try {
      this.dispatch(call);
    } catch (error) {
      // Nothing a message carries may take the consumer down.
      this.logger.error('Unexpected failure handling an RPC message', {
        error,
        request_id: call.headers.requestId,
      });
      this.safely(() => call.settle());
    }
  }

  private dispatch(call: IncomingCall): void {
    this.lastCallAt = performance.now();
    const requestId = call.headers.requestId ?? 'unknown';
    const caller = call.headers.caller ?? 'unknown';
    const meta = { request_id: requestId, caller };
    if (!this.accepting) {
      this.counts.rejectedWhileDraining += 1;
      this.refuse(call, new ConductorLeaving(this.host));
      return;
    }
    const deadline = call.headers.deadline ?? Date.now() + FALLBACK_DEADLINE_MS;
    if (Date.now() >= deadline) {
      this.counts.expiredDropped += 1;
      this.logger.warn('Dropping expired RPC request without executing it', {
        ...meta,
        expired_ms_ago: Date.now() - deadline,
      });
      this.safely(() => call.settle());
      return;
    }
    const received = call.headers.contractVersion || undefined;
    if (!this.contractVersion.interoperatesWith(received)) {
      this.counts.incompatibleContractRefused += 1;
      const spoken = this.contractVersion.toString();
      this.logger.warn('Refusing an RPC call of a contract major this server does not speak', {
        ...meta,
        contract_version: spoken,
        received_contract_version: received ?? 'none',
      });
      this.refuse(call, new IncompatibleRpcContract(this.host, spoken, received));
      return;
    }
    const decoded = decodeRequest(call.body);
    if (!decoded.ok) {
      this.reject(call, meta, new InternalError(`Malformed RPC request: ${decoded.reason}.`));
      return;
    }
    const { method: name, args } = decoded.value;
    const entry = this.methods.get(name);
    if (!entry) {
      this.reject(call, meta, new InternalError(`Unknown RPC method ${name}.`));
      return;
    }
    const checked = validate(entry.method.args, args);
    if (!checked.ok) {
      const message = `Invalid arguments for RPC method ${name}: ${checked.message}`;
      this.reject(call, meta, new InvalidParameterValue(message));
      return;
    }
    const issuedAt = call.headers.issuedAt ?? Date.now();
    void this.execute(call, entry, checked.value, { requestId, caller, deadline, issuedAt });
  }

  private async execute(
    call: IncomingCall,
    entry: Registered,
    args: unknown,
    info: { requestId: string; caller: string; deadline: number; issuedAt: number },
  ): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new ServiceUnavailable('The caller stopped waiting for this call.')),
      Math.max(0, info.deadline - Date.now()),
    );
    this.running.add(controller);
    this.counts.calls += 1;
    const started = performance.now();
    const name = entry.method.name;
    let outcome = 'ok';
    await runWithLogContext({ requestId: info.requestId, caller: info.caller }, async () => {
      try {
        const ctx: RpcCallContext = { ...info, signal: controller.signal };
        const result = await entry.handler(args, ctx);
        const checked = validate(entry.method.result, result);
        if (!checked.ok) {
          throw new InternalError(
            `RPC method ${name} produced an invalid result: ${checked.message}`,
          );
        }
        this.safely(() => call.reply(encodeResult(checked.value)));
      } catch (error) {
        const wire = this.toGalvanic(name, error);
        outcome = wire.kind;
        this.safely(() => call.reply(encodeError(wire.toWire())));
      }
    });
    clearTimeout(timer);
    this.safely(() => call.settle());
    this.running.delete(controller);
    this.record(name, info.requestId, started, outcome);
    if (this.running.size === 0) for (const wake of this.idleWaiters) wake();
  }

  private toGalvanic(method: string, error: unknown): GalvanicError {
    if (error instanceof GalvanicError) {
      this.logger.info('RPC handler failed', { method, kind: error.kind, reason: error.message });
      return error;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error('RPC handler failed unexpectedly', {
      method,
      reason: message,
      stack: error instanceof Error ? error.stack : undefined,
    });
    return new InternalError(message);
  }

  private reject(call: IncomingCall, meta: Record<string, string>, error: GalvanicError): void {
    this.counts.malformedRejected += 1;
    this.logger.warn('Rejecting malformed RPC request', {
      ...meta,
      reason: error.message,
      replied: call.replyable,
    });
    this.refuse(call, error);
  }

  private refuse(call: IncomingCall, error: GalvanicError): void {
    this.safely(() => call.reply(encodeError(error.toWire())));
    this.safely(() => call.settle());
  }

  private record(method: string, requestId: string, started: number, outcome: string): void {
    const durationMs = performance.now() - started;
    this.latency.record(durationMs);
    if (outcome === 'ok') this.counts.succeeded += 1;
    else {
      this.counts.failed += 1;
      this.errors.increment(outcome);
    }
    this.callListeners.emit({ method, host: this.host, requestId, durationMs, outcome });
  }

  private waitIdle(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.idleWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      this.idleWaiters.add(done);
    });
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.logger.warn('Could not reply to or acknowledge an RPC message', { error });
    }
  }
}
