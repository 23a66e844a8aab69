/** Throughput and latency of one workload, as the benchmark prints it. */
export interface WorkloadResult {
  requests: number;
  seconds: number;
  per_second: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  errors: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

const round = (value: number, places = 3) => Number(value.toFixed(places));

/**
 * Runs `call` from `concurrency` workers for `durationMs` (after a short warm-up) and reports
 * calls per second and latency percentiles.
 */
export async function measure(
  call: () => Promise<unknown>,
  concurrency: number,
  durationMs: number,
  warmupMs = 300,
): Promise<WorkloadResult> {
  const [result] = await measureInTurns([call], concurrency, durationMs, 1, warmupMs);
  return result!;
}

/**
 * {@link measure} for several workloads compared with each other: each runs in `turns` slices of
 * `durationMs / turns`, taking turns (in reverse order every other round), so a drift of the
 * machine's speed during the run (another process, a checkpoint, the CPU's clock) weighs on all
 * of them alike rather than on whichever ran last. Results are in the order of `calls`.
 */
export async function measureInTurns(
  calls: readonly (() => Promise<unknown>)[],
  concurrency: number,
  durationMs: number,
  turns = 3,
  warmupMs = 300,
): Promise<WorkloadResult[]> {
  const samples = calls.map(() => ({ latencies: [] as number[], errors: 0, ms: 0 }));
  for (const call of calls) {
    const warmupEnd = Date.now() + warmupMs;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < warmupEnd) await call().catch(() => undefined);
      }),
    );
  }
  const sliceMs = durationMs / turns;
  for (let turn = 0; turn < turns; turn += 1) {
    const order = calls.map((_, i) => i);
    if (turn % 2 === 1) order.reverse();
    for (const i of order) {
      const call = calls[i]!;
      const sample = samples[i]!;
      const started = performance.now();
      const end = started + sliceMs;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < end) {
            const t0 = performance.now();
            try {
              await call();
              sample.latencies.push(performance.now() - t0);
            } catch {
              sample.errors += 1;
            }
          }
        }),
      );
      sample.ms += performance.now() - started;
    }
  }
  return samples.map(({ latencies, errors, ms }) => {
    latencies.sort((a, b) => a - b);
    return {
      requests: latencies.length,
      seconds: round(ms / 1000, 2),
      per_second: Math.round((latencies.length * 1000) / ms),
      p50_ms: round(percentile(latencies, 0.5)),
      p95_ms: round(percentile(latencies, 0.95)),
      p99_ms: round(percentile(latencies, 0.99)),
      errors,
    };
  });
}

/** A fixed amount of work done by `concurrency` workers: how long it took and its rate. */
export interface BatchResult {
  items: number;
  seconds: number;
  per_second: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
}

export async function runBatch(
  items: number,
  concurrency: number,
  one: () => Promise<void>,
): Promise<BatchResult> {
  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < items) {
        started += 1;
        const t0 = performance.now();
        try {
          await one();
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    items,
    seconds: round(seconds),
    per_second: Math.round(latencies.length / seconds),
    p50_ms: round(percentile(latencies, 0.5)),
    p99_ms: round(percentile(latencies, 0.99)),
    errors,
  };
}

/** Galvanic's figure beside the floor of its parts, measured in the same run. */
export interface Compared<T extends { per_second: number; p50_ms: number } = WorkloadResult> {
  galvanic: T;
  floor: T;
  /** Galvanic's throughput as a fraction of the floor's. */
  ratio: number;
  /** Galvanic's median latency as a multiple of the floor's. */
  p50_ratio: number;
}

/**
 * {@link compare}, plus the floor of every part the request crosses (`parts`): for calls a
 * conductor serves, bare HTTP and SQL on the api side, bare amqplib, and a bare conductor taking
 * the node's advisory lock.
 */
export function compareWithParts<T extends { per_second: number; p50_ms: number }>(
  galvanic: T,
  floor: T,
  parts: T,
): Compared<T> & { floor_of_parts: T; ratio_to_parts: number; p50_ratio_to_parts: number } {
  const { ratio, p50_ratio } = compare(galvanic, parts);
  return {
    ...compare(galvanic, floor),
    floor_of_parts: parts,
    ratio_to_parts: ratio,
    p50_ratio_to_parts: p50_ratio,
  };
}

export function compare<T extends { per_second: number; p50_ms: number }>(
  galvanic: T,
  floor: T,
): Compared<T> {
  return {
    galvanic,
    floor,
    ratio: floor.per_second > 0 ? round(galvanic.per_second / floor.per_second, 2) : 0,
    p50_ratio: floor.p50_ms > 0 ? round(galvanic.p50_ms / floor.p50_ms, 2) : 0,
  };
}
