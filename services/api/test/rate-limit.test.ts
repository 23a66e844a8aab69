import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@galvanic/logging';
import { innerError, sendHttp } from '@galvanic/testing';
import { errorHandler } from '../src/http/errors';
import { rateLimit, type RateLimitOptions } from '../src/http/rate-limit';

describe('per-client rate limit', () => {
  let server: Server | undefined;

  afterEach(() => {
    server?.close();
    server = undefined;
  });

  async function serve(options: RateLimitOptions): Promise<string> {
    const app = express();
    app.use(rateLimit(options));
    app.get('/', (_req, res) => {
      res.json({ ok: true });
    });
    app.use(errorHandler(silentLogger()));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('lets a burst through, then answers 429 in Ironic form with Retry-After until tokens refill', async () => {
    let now = 1_000_000;
    const base = await serve({ perSecond: 2, burst: 3, now: () => now });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await sendHttp(base, 'GET', '/')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);

    const refused = await sendHttp(base, 'GET', '/');
    expect(refused.headers['retry-after']).toBe('1');
    expect(innerError(refused.body)).toMatchObject({
      faultcode: 'Client',
      faultstring: 'Too many requests from this client; retry later.',
    });

    now += 500;
    expect((await sendHttp(base, 'GET', '/')).status).toBe(200);
    expect((await sendHttp(base, 'GET', '/')).status).toBe(429);
  });

  it('is off at 0', async () => {
    const base = await serve({ perSecond: 0 });
    const results = await Promise.all(Array.from({ length: 50 }, () => sendHttp(base, 'GET', '/')));
    expect(results.every((result) => result.status === 200)).toBe(true);
  });
});
