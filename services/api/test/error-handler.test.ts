import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorFromWire } from '@galvanic/errors';
import { createLogger, type Logger } from '@galvanic/logging';
import {
  freePort,
  innerError,
  queryDatabase,
  sendHttp,
  TEST_POSTGRES_ADMIN_URL,
} from '@galvanic/testing';
import { errorHandler } from '../src/http/errors';

/** The error the driver raises for `statement`, against `url` (the shared PostgreSQL by default). */
async function realDriverError(statement: string, url = TEST_POSTGRES_ADMIN_URL): Promise<unknown> {
  try {
    await queryDatabase(url, statement);
  } catch (error) {
    return error;
  }
  throw new Error(`${statement} did not fail`);
}

/**
 * The api's error handler on real driver errors: a database that cannot be reached is a 503 with
 * Retry-After, bad values a 400, conflicts a 409, anything else the generic 500; the driver's
 * words never reach the client, and the log names the request.
 */
describe('api error handler', () => {
  const errors = new Map<string, unknown>();
  const logged: string[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const nowhere = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    errors.set('refused', await realDriverError('SELECT 1', nowhere));
    errors.set('not-a-uuid', await realDriverError("SELECT 'x'::uuid"));
    errors.set('nul', await realDriverError("SELECT convert_from('\\x00'::bytea, 'UTF8')"));
    errors.set('no-table', await realDriverError('SELECT * FROM no_such_table'));
    // What a conductor relays over RPC when its handler caught a non-Galvanic error.
    const relayed = (message: string) =>
      errorFromWire({ kind: 'InternalError', status: 500, message });
    errors.set('relayed', relayed('invalid input syntax for type boolean: "{}"'));
    errors.set('relayed-refused', relayed('connect ECONNREFUSED 127.0.0.1:5432'));
    errors.set('relayed-driver', relayed('Acme controller call failed: timeout'));
    errors.set('admin-shutdown', Object.assign(new Error('terminating'), { code: '57P01' }));
    errors.set('duplicate', Object.assign(new Error('duplicate key value'), { code: '23505' }));
    errors.set('deadlock', Object.assign(new Error('deadlock detected'), { code: '40P01' }));
    const logger: Logger = createLogger({ service: 'api-test', host: 'test' });
    const capture = (level: string) => (message: string, meta?: Record<string, unknown>) =>
      void logged.push(JSON.stringify({ level, message, ...meta }));
    const capturing = { ...logger, error: capture('error'), warn: capture('warn') } as Logger;
    const app = express();
    app.use((req, _res, next) => {
      req.requestId = 'req-test';
      next();
    });
    app.get('/fail/:name', (req) => {
      throw errors.get(req.params.name);
    });
    app.use(errorHandler(capturing));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  const fail = (name: string) => sendHttp(base, 'GET', `/fail/${name}`);

  it('answers 503 with Retry-After when the database cannot be reached', async () => {
    for (const name of ['refused', 'admin-shutdown', 'relayed-refused']) {
      const result = await fail(name);
      expect(result.status, name).toBe(503);
      expect(Number(result.headers['retry-after'])).toBeGreaterThan(0);
      expect(innerError(result.body).faultstring).toBe(
        'The database is temporarily unavailable, please retry.',
      );
      expect(result.text).not.toMatch(/ECONNREFUSED|terminating/);
    }
  });

  it('answers 400 for values the database refuses, 409 for conflicts, 503 for deadlocks, without its words', async () => {
    for (const name of ['not-a-uuid', 'nul']) {
      const result = await fail(name);
      expect(result.status, name).toBe(400);
      expect(result.text).not.toMatch(/invalid input syntax|uuid|0x00|UTF8/);
    }
    const deadlock = await fail('deadlock');
    expect(deadlock.status).toBe(503);
    expect(deadlock.headers['retry-after']).toBeDefined();
    expect(innerError(deadlock.body).faultstring).toBe(
      'The request collided with a concurrent one, please retry.',
    );
    const duplicate = await fail('duplicate');
    expect(duplicate.status).toBe(409);
    expect(duplicate.text).not.toContain('duplicate key');
  });

  it('answers the generic 500 for anything else, and logs it with the request id', async () => {
    for (const name of ['no-table', 'relayed']) {
      const result = await fail(name);
      expect(result.status, name).toBe(500);
      expect(innerError(result.body).faultstring).toBe('An unknown exception occurred.');
    }
    expect(logged.some((line) => line.includes('no_such_table'))).toBe(true);
    expect(logged.some((line) => line.includes('invalid input syntax'))).toBe(true);
    expect(logged.every((line) => line.includes('req-test'))).toBe(true);
  });

  it("keeps a driver's own failure relayed by a conductor, as Ironic shows it", async () => {
    const result = await fail('relayed-driver');
    expect(result.status).toBe(500);
    expect(innerError(result.body).faultstring).toBe('Acme controller call failed: timeout');
  });
});
