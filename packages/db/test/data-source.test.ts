import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@galvanic/testing';
import { createDataSource, poolOf } from '../src';

describe('poolOf: the pg pool under a data source, shared with typeorm', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('is the pool typeorm connects through, ended with the data source', async () => {
    const dataSource = createDataSource({ url: database.url, maxPoolSize: 2 });
    expect(() => poolOf(dataSource)).toThrow('the data source is not initialized');
    await dataSource.initialize();
    const pool = poolOf(dataSource);
    // typeorm connected through this very pool when it initialized (it reads the server version).
    expect(pool.totalCount).toBeGreaterThan(0);
    expect((await pool.query<{ two: number }>('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    await dataSource.destroy();
    expect(pool.ended).toBe(true);
  });

  it('refuses a data source it did not make', () => {
    const foreign = new DataSource({ type: 'postgres', url: database.url });
    expect(() => poolOf(foreign)).toThrow('the data source was not made by createDataSource');
  });
});
