import type { NextFunction, Request, Response } from 'express';
import { TooManyRequests } from '@galvanic/errors';

export interface RateLimitOptions {
  /** Requests per second a client address may make; 0 turns the limit off. */
  perSecond: number;
  /** Requests a client may make at once; twice the rate when 0 or unset. */
  burst?: number | undefined;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Buckets untouched this long are full again, so forgetting them changes nothing. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * A token bucket per client address. A client over its rate gets a 429 in Ironic's error format
 * with `Retry-After`, before any work is done for it.
 */
export function rateLimit(options: RateLimitOptions) {
  const rate = options.perSecond;
  if (rate <= 0) return (_req: Request, _res: Response, next: NextFunction): void => next();
  const capacity = options.burst && options.burst > 0 ? options.burst : Math.max(1, rate * 2);
  const now = options.now ?? Date.now;
  const buckets = new Map<string, Bucket>();
  let lastSweep = now();

  const sweep = (time: number) => {
    const fullAfterMs = (capacity / rate) * 1000;
    for (const [client, bucket] of buckets) {
      if (time - bucket.updatedAt >= fullAfterMs) buckets.delete(client);
    }
    lastSweep = time;
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    const time = now();
    if (time - lastSweep >= SWEEP_INTERVAL_MS) sweep(time);
    const client = req.socket.remoteAddress ?? 'unknown';
    const bucket = buckets.get(client) ?? { tokens: capacity, updatedAt: time };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((time - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = time;
    buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return next();
    }
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil((1 - bucket.tokens) / rate))));
    next(new TooManyRequests());
  };
}
