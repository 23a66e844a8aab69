/** Upper bounds (ms) of the latency buckets, chosen to map onto a Prometheus histogram later. */
export const LATENCY_BUCKETS_MS = [
  1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
];

export interface LatencySnapshot {
  count: number;
  sumMs: number;
  maxMs: number;
  /** Cumulative counts: how many calls took at most `leMs`. */
  buckets: ReadonlyArray<{ leMs: number; count: number }>;
}

export class LatencyRecorder {
  private count = 0;
  private sumMs = 0;
  private maxMs = 0;
  private readonly counts = LATENCY_BUCKETS_MS.map(() => 0);

  record(ms: number): void {
    this.count += 1;
    this.sumMs += ms;
    this.maxMs = Math.max(this.maxMs, ms);
    const index = LATENCY_BUCKETS_MS.findIndex((le) => ms <= le);
    if (index >= 0) this.counts[index] = (this.counts[index] ?? 0) + 1;
  }

  snapshot(): LatencySnapshot {
    let running = 0;
    const buckets = LATENCY_BUCKETS_MS.map((leMs, i) => {
      running += this.counts[i] ?? 0;
      return { leMs, count: running };
    });
    return { count: this.count, sumMs: this.sumMs, maxMs: this.maxMs, buckets };
  }
}

export class KindCounter {
  private readonly counts = new Map<string, number>();

  increment(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/** Emitted once per finished call; `outcome` is `ok` or the error kind. */
export interface RpcCallEvent {
  method: string;
  /** The conductor host called (client side) or this server's host (server side). */
  host: string;
  requestId: string;
  durationMs: number;
  outcome: string;
}

export interface RpcClientMetrics {
  calls: number;
  succeeded: number;
  failed: number;
  errorsByKind: Record<string, number>;
  latency: LatencySnapshot;
}

export interface RpcServerMetrics {
  /** Calls whose handler ran. */
  calls: number;
  succeeded: number;
  failed: number;
  errorsByKind: Record<string, number>;
  /** Requests dropped unexecuted because their deadline had passed on arrival. */
  expiredDropped: number;
  /** Requests rejected because they could not be decoded, named an unknown method or had bad args. */
  malformedRejected: number;
  /** Requests refused unexecuted because they named a contract major this server does not speak. */
  incompatibleContractRefused: number;
  /** Requests refused because the server was draining. */
  rejectedWhileDraining: number;
  /** Messages dropped unexecuted and unanswered because their MAC was missing or wrong. */
  unauthenticatedDropped: number;
  latency: LatencySnapshot;
}
