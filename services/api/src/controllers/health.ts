import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '@galvanic/logging';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

interface CheckResult {
  name: string;
  ok: boolean;
}

interface Readiness {
  ready: boolean;
  checks: CheckResult[];
}

/** How long one readiness answer is reused, so probes cannot turn into a flood of RPC pings. */
export const READINESS_CACHE_MS = 1000;

/**
 * Runs the checks at most once per {@link READINESS_CACHE_MS}; concurrent probes share one run.
 * Why a check failed goes to the log, not to the anonymous prober.
 */
export function cachedReadiness(
  checks: readonly ReadinessCheck[],
  logger: Logger,
  now: () => number = Date.now,
): () => Promise<Readiness> {
  let cached: { at: number; readiness: Promise<Readiness> } | undefined;
  const run = async (): Promise<Readiness> => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await check();
          return { name, ok: true };
        } catch (error) {
          logger.warn('readiness check failed', {
            check: name,
            reason: error instanceof Error ? error.message : String(error),
          });
          return { name, ok: false };
        }
      }),
    );
    return { ready: results.every((result) => result.ok), checks: results };
  };
  return () => {
    const time = now();
    if (!cached || time - cached.at >= READINESS_CACHE_MS) {
      cached = { at: time, readiness: run() };
    }
    return cached.readiness;
  };
}

/**
 * `/healthz` answers while the process is up; `/readyz` only when every readiness check passes
 * (the database answers, and at least one conductor answers an RPC ping). `/metrics` for Prometheus.
 */
export function healthRouter(
  checks: readonly ReadinessCheck[],
  registry: Registry,
  logger: Logger,
): Router {
  const router = Router();
  const readiness = cachedReadiness(checks, logger);
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const { ready, checks: results } = await readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: results });
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });
  return router;
}
