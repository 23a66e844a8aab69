import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@galvanic/testing';
import { allMigrations, ConductorStore, createDataSource, migrate } from '../src';

describe('conductor membership in PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url });
    await dataSource.initialize();
    // A fresh database runs every migration, oldest first.
    expect(await migrate(dataSource)).toEqual(allMigrations.map((migration) => migration.name));
    expect(await migrate(dataSource)).toEqual([]);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('migrations are idempotent', async () => {
    expect(await migrate(dataSource)).toEqual([]);
  });

  it('registers a conductor with its hardware types and interfaces', async () => {
    const store = new ConductorStore(dataSource, 60);
    await store.register({
      hostname: 'c1',
      conductorGroup: 'rack1',
      hardwareTypes: ['fake-hardware'],
      contractVersion: '1.0',
      interfaces: [
        {
          hardwareType: 'fake-hardware',
          interfaceType: 'power',
          interfaceName: 'fake',
          isDefault: true,
        },
      ],
    });
    const conductor = await store.get('c1');
    expect(conductor).toMatchObject({
      hostname: 'c1',
      conductorGroup: 'rack1',
      drivers: ['fake-hardware'],
      contractVersion: '1.0',
      alive: true,
    });
    expect(await store.listAliveInterfaces()).toEqual([
      {
        hostname: 'c1',
        hardwareType: 'fake-hardware',
        interfaceType: 'power',
        interfaceName: 'fake',
        isDefault: true,
      },
    ]);
  });

  it('takes over a registration that still counts as alive, and says so', async () => {
    const store = new ConductorStore(dataSource, 60);
    const outcome = await store.register({
      hostname: 'c1',
      conductorGroup: 'rack1',
      hardwareTypes: ['fake-hardware'],
      contractVersion: '1.0',
      interfaces: [
        {
          hardwareType: 'fake-hardware',
          interfaceType: 'power',
          interfaceName: 'fake',
          isDefault: true,
        },
      ],
    });
    expect(outcome).toEqual({ tookOverLive: true });
    expect((await store.list()).filter((c) => c.hostname === 'c1')).toHaveLength(1);
  });

  it('counts a conductor dead after the heartbeat timeout, by the database clock', async () => {
    const store = new ConductorStore(dataSource, 0.5);
    await store.register({
      hostname: 'c2',
      conductorGroup: '',
      hardwareTypes: [],
      interfaces: [],
      contractVersion: '1.0',
    });
    expect((await store.get('c2'))?.alive).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await store.get('c2'))?.alive).toBe(false);
    // The heartbeat is recorded and says the conductor had counted as dead before it.
    expect(await store.heartbeat('c2')).toEqual({ recorded: true, wasAlive: false });
    expect((await store.get('c2'))?.alive).toBe(true);
    // a dead conductor's hostname can be taken over
    await new Promise((resolve) => setTimeout(resolve, 700));
    await store.register({
      hostname: 'c2',
      conductorGroup: 'g',
      hardwareTypes: [],
      contractVersion: '1.0',
      interfaces: [],
    });
    expect((await store.get('c2'))?.conductorGroup).toBe('g');
  });

  it('keeps an unregistered conductor listed as dead', async () => {
    const store = new ConductorStore(dataSource, 60);
    await store.register({
      hostname: 'c3',
      conductorGroup: '',
      hardwareTypes: [],
      interfaces: [],
      contractVersion: '1.0',
    });
    await store.unregister('c3');
    expect((await store.get('c3'))?.alive).toBe(false);
    expect((await store.heartbeat('c3')).recorded).toBe(false);
    expect((await store.listAlive()).map((c) => c.hostname)).not.toContain('c3');
  });
});
