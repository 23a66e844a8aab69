import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import {
  createTestDatabase,
  queryDatabase,
  REPO_ROOT,
  TEST_POSTGRES_ADMIN_URL,
  type TestDatabase,
} from '@galvanic/testing';
import {
  BiosSettingStore,
  ChassisStore,
  ConductorStore,
  createDataSource,
  migrate,
  NodeStore,
  PortgroupStore,
  PortStore,
  VolumeConnectorStore,
  VolumeTargetStore,
} from '../src';

/** deploy/postgres/grants.sql, tried for real with roles of this test's own. */
const suffix = randomBytes(4).toString('hex');
const roles = { api: `galvanic_api_${suffix}`, conductor: `galvanic_conductor_${suffix}` };
const grants = readFileSync(resolve(REPO_ROOT, 'deploy/postgres/grants.sql'), 'utf8')
  .replace(/\bgalvanic_api\b/g, roles.api)
  .replace(/\bgalvanic_conductor\b/g, roles.conductor);

const PERMISSION_DENIED = { code: '42501' };

describe('the least-privilege database roles of deploy/postgres/grants.sql', () => {
  let database: TestDatabase;
  let owner: DataSource;
  let asApi: DataSource;
  let asConductor: DataSource;

  const connectAs = async (role: string, applicationName: string) => {
    const url = new URL(database.url);
    url.username = role;
    const dataSource = createDataSource({ url: url.toString(), applicationName });
    await dataSource.initialize();
    return dataSource;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = createDataSource({ url: database.url });
    await owner.initialize();
    await migrate(owner);
    for (const role of Object.values(roles)) {
      await queryDatabase(TEST_POSTGRES_ADMIN_URL, `CREATE ROLE ${role} LOGIN`);
    }
    await owner.query(grants);
    asApi = await connectAs(roles.api, 'galvanic-api:test');
    asConductor = await connectAs(roles.conductor, 'galvanic-conductor:c1');
  });

  afterAll(async () => {
    await asApi?.destroy();
    await asConductor?.destroy();
    await owner?.destroy();
    await database?.drop();
    for (const role of Object.values(roles)) {
      await queryDatabase(TEST_POSTGRES_ADMIN_URL, `DROP ROLE IF EXISTS ${role}`).catch(
        () => undefined,
      );
    }
  });

  it('let each service do its work and refuse it the rest', async () => {
    // A conductor registers, heartbeats and is seen by the api.
    const conductors = new ConductorStore(asConductor, 60);
    await conductors.register({
      hostname: 'c1',
      conductorGroup: '',
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
    await conductors.register({
      hostname: 'c1',
      conductorGroup: '',
      hardwareTypes: [],
      contractVersion: '1.0',
      interfaces: [],
    });
    expect(await conductors.heartbeat('c1')).toMatchObject({ recorded: true });
    const seenByApi = new ConductorStore(asApi, 60);
    expect((await seenByApi.listAlive()).map((c) => c.hostname)).toEqual(['c1']);
    await seenByApi.listAliveInterfaces();

    // The api creates nodes and manages ports.
    const apiNodes = new NodeStore(asApi);
    const apiPorts = new PortStore(asApi);
    const node = await apiNodes.create({ uuid: randomUUID(), driver: 'fake-hardware' });
    const port = await apiPorts.create(node.uuid, {
      uuid: randomUUID(),
      address: '52:54:00:00:00:10',
    });
    await apiPorts.update(port!.id, { pxe_enabled: false });
    const apiChassis = new ChassisStore(asApi);
    const chassis = await apiChassis.create({ uuid: randomUUID(), description: 'rack 1' });
    await apiChassis.update(chassis.id, { extra: { row: 'a' } });
    expect(await apiChassis.list({ limit: 10, sortKey: 'id', sortDir: 'asc' })).toHaveLength(1);
    expect(await apiChassis.delete(chassis.uuid)).toBe('deleted');
    await apiPorts.list({ filters: {}, limit: 10, sortKey: 'id', sortDir: 'asc' });
    // ...and port groups and volume resources.
    const apiGroups = new PortgroupStore(asApi);
    const group = await apiGroups.create(node.id, { uuid: randomUUID(), mode: 'active-backup' });
    await apiPorts.update(port!.id, { portgroup_id: group!.id });
    await apiGroups.update(group!.id, { physical_network: 'physnet1' });
    expect(await apiGroups.delete(group!.uuid)).toBe('not-empty');
    await apiPorts.update(port!.id, { portgroup_id: null });
    expect(await apiGroups.delete(group!.uuid)).toBe('deleted');
    const apiConnectors = new VolumeConnectorStore(asApi);
    const connector = await apiConnectors.create(node.id, {
      uuid: randomUUID(),
      type: 'iqn',
      connector_id: 'iqn.x',
    });
    expect((await apiConnectors.delete(connector!.id)).done).toBe(true);
    const apiTargets = new VolumeTargetStore(asApi);
    const target = await apiTargets.create(node.id, {
      uuid: randomUUID(),
      volume_type: 'iscsi',
      boot_index: 0,
      volume_id: 'v',
    });
    expect((await apiTargets.delete(target!.id)).done).toBe(true);
    expect(
      await apiNodes.list({ filters: {}, limit: 10, sortKey: 'id', sortDir: 'asc' }),
    ).toHaveLength(1);
    // ...but changes and deletes nodes only through a conductor.
    await expect(apiNodes.update(node.id, { description: 'x' })).rejects.toMatchObject(
      PERMISSION_DENIED,
    );
    await expect(apiNodes.delete(node.id)).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(asApi.query('DELETE FROM conductors')).rejects.toMatchObject(PERMISSION_DENIED);

    // A conductor changes nodes and reads their ports, and creates neither.
    const conductorNodes = new NodeStore(asConductor);
    expect((await conductorNodes.update(node.id, { power_state: 'power on' }))?.power_state).toBe(
      'power on',
    );
    expect((await conductorNodes.getWithPorts(node.id))?.ports).toHaveLength(1);
    await expect(
      conductorNodes.create({ uuid: randomUUID(), driver: 'fake-hardware' }),
    ).rejects.toMatchObject(PERMISSION_DENIED);
    await expect(
      new PortStore(asConductor).create(node.uuid, {
        uuid: randomUUID(),
        address: '52:54:00:00:00:11',
      }),
    ).rejects.toMatchObject(PERMISSION_DENIED);
    // It reads a port with its port group's UUID.
    expect(await new PortStore(asConductor).getByUuid(port!.uuid)).toMatchObject({
      portgroup_uuid: null,
    });

    // Taking a node's lock bumps its epoch (as @galvanic/node-locks does).
    for (const expected of ['1', '2']) {
      const [bumped] = (await asConductor.query(
        `INSERT INTO node_lock_epochs AS x (node_id, epoch, holder)
         VALUES ($1, 1, current_setting('application_name'))
         ON CONFLICT (node_id) DO UPDATE SET epoch = x.epoch + 1, holder = EXCLUDED.holder
         RETURNING epoch::text AS epoch`,
        [node.id],
      )) as { epoch: string }[];
      expect(bumped!.epoch).toBe(expected);
    }

    // Who holds what: other sessions' application names are visible to the api.
    const sessions = (await asApi.query(
      'SELECT application_name FROM pg_stat_activity WHERE datname = current_database()',
    )) as { application_name: string }[];
    expect(sessions.map((s) => s.application_name)).toContain('galvanic-conductor:c1');
    await asConductor.query('SELECT pg_advisory_lock(1, 2)');
    const locks = (await asApi.query(
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted",
    )) as { n: number }[];
    expect(locks[0]!.n).toBeGreaterThan(0);
    await asConductor.query('SELECT pg_advisory_unlock(1, 2)');

    // A conductor caches a node's BIOS settings, which the api reads and may not write.
    const settings = [{ name: 'BootMode', value: 'Uefi' }];
    expect(await new BiosSettingStore(asConductor).replace(node.id, settings)).toBe(true);
    const apiBios = new BiosSettingStore(asApi);
    expect((await apiBios.list(node.id)).map((s) => s.value)).toEqual(['Uefi']);
    await expect(apiBios.replace(node.id, [])).rejects.toMatchObject(PERMISSION_DENIED);

    // Deleting a node takes its ports and BIOS settings with it, though the conductor may not
    // touch ports.
    expect(await conductorNodes.delete(node.id)).toBe(true);
    expect(await apiPorts.getByUuid(port!.uuid)).toBeUndefined();
    expect(await apiBios.list(node.id)).toEqual([]);
    await conductors.unregister('c1');
  });
});
