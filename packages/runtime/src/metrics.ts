import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RpcCallEvent } from '@galvanic/rpc';

interface CallSource {
  onCall(listener: (event: RpcCallEvent) => void): () => void;
}

/**
 * Exports RPC calls to Prometheus, by method, conductor host and outcome (`ok` or the error kind),
 * so dashboards can show rates, errors and latency per conductor queue.
 */
export function exportRpcMetrics(
  registry: Registry,
  side: 'client' | 'server',
  source: CallSource,
): void {
  const calls = new Counter({
    name: `galvanic_rpc_${side}_calls_total`,
    help: `RPC calls finished on the ${side} side, by method, host and outcome.`,
    labelNames: ['method', 'host', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: `galvanic_rpc_${side}_call_duration_seconds`,
    help: `RPC call duration seen by the ${side}.`,
    labelNames: ['method', 'host'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30],
    registers: [registry],
  });
  source.onCall((event) => {
    calls.inc({ method: event.method, host: event.host, outcome: event.outcome });
    latency.observe({ method: event.method, host: event.host }, event.durationMs / 1000);
  });
}

/** A gauge read at scrape time, for values such as in-flight calls or dropped messages. */
export function exportGauge(
  registry: Registry,
  name: string,
  help: string,
  read: () => number,
): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** A counter read at scrape time from a count kept elsewhere, which only ever grows. */
export function exportCounter(
  registry: Registry,
  name: string,
  help: string,
  read: () => number,
): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}
