import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedfishError, RedfishProtocolError } from '../src/index';
import type { RedfishClient } from '../src/index';
import { clientFor } from './support/client';
import { FakeBmc, json } from './support/fake-bmc';
import { MANAGER, SYSTEM } from './support/mockup';

let bmc: FakeBmc;
let client: RedfishClient;

beforeEach(async () => {
  bmc = await FakeBmc.start();
  client = clientFor(bmc);
});

afterEach(async () => {
  await client.close();
  await bmc.close();
});

describe('discovery and navigation', () => {
  it('reads the service root once and finds systems, managers and chassis from it', async () => {
    const root = await client.root();
    expect(root.RedfishVersion).toBe('1.15.0');
    expect((await client.systems()).map((s) => s.Id)).toEqual(['437XR1138R2']);
    expect((await client.managers()).map((m) => m.ManagerType)).toEqual(['BMC']);
    expect((await client.chassis()).map((c) => c.ChassisType)).toEqual(['RackMount']);
    expect(bmc.requestsTo('GET', '/redfish/v1/')).toHaveLength(2); // login discovery + root()
  });

  it('fills @odata.etag from the ETag header when the body has none', async () => {
    bmc.intercept((req, res) => {
      if (req.path !== MANAGER) return false;
      json(res, 200, { '@odata.id': MANAGER, Id: 'BMC' }, { ETag: 'W/"abc"' });
      return true;
    });
    expect((await client.get(MANAGER))['@odata.etag']).toBe('W/"abc"');
  });

  it('follows Members@odata.nextLink through every page', async () => {
    const pages: Record<string, unknown> = {
      '/redfish/v1/Systems': {
        '@odata.id': '/redfish/v1/Systems',
        Members: [
          { '@odata.id': '/redfish/v1/Systems/1' },
          { '@odata.id': '/redfish/v1/Systems/2' },
        ],
        'Members@odata.count': 5,
        'Members@odata.nextLink': '/redfish/v1/Systems?$skip=2',
      },
      '/redfish/v1/Systems?$skip=2': {
        '@odata.id': '/redfish/v1/Systems',
        Members: [
          { '@odata.id': '/redfish/v1/Systems/3' },
          { '@odata.id': '/redfish/v1/Systems/4' },
        ],
        'Members@odata.count': 5,
        // Absolute URL on the same origin, as some BMCs send.
        'Members@odata.nextLink': `${bmc.url}/redfish/v1/Systems?$skip=4`,
      },
      '/redfish/v1/Systems?$skip=4': {
        '@odata.id': '/redfish/v1/Systems',
        Members: [{ '@odata.id': '/redfish/v1/Systems/5' }],
        'Members@odata.count': 5,
      },
    };
    bmc.intercept((req, res) => {
      const page = pages[req.path];
      if (!page) return false;
      json(res, 200, page);
      return true;
    });
    expect(await client.listMembers('/redfish/v1/Systems')).toEqual(
      [1, 2, 3, 4, 5].map((n) => `/redfish/v1/Systems/${n}`),
    );
  });

  it('stops on a nextLink that loops back', async () => {
    bmc.intercept((req, res) => {
      if (req.path !== '/redfish/v1/Chassis') return false;
      json(res, 200, { Members: [], 'Members@odata.nextLink': '/redfish/v1/Chassis' });
      return true;
    });
    await expect(client.listMembers('/redfish/v1/Chassis')).rejects.toBeInstanceOf(
      RedfishProtocolError,
    );
  });

  it('refuses links to another origin instead of sending credentials there', async () => {
    bmc.intercept((req, res) => {
      if (req.path !== '/redfish/v1/Chassis') return false;
      json(res, 200, {
        Members: [],
        'Members@odata.nextLink': 'http://198.51.100.7/redfish/v1/Chassis?page=2',
      });
      return true;
    });
    await expect(client.listMembers('/redfish/v1/Chassis')).rejects.toThrow(/another origin/);
    expect(bmc.requests.every((r) => !r.path.includes('page=2'))).toBe(true);
  });

  it('finds the only system, or a system by path or by Id', async () => {
    expect(await client.system().path()).toBe(SYSTEM);
    expect(await client.system('437XR1138R2').path()).toBe(SYSTEM);
    expect(await client.system(SYSTEM).path()).toBe(SYSTEM);
    expect((await client.system().get()).PowerState).toBe('On');
    const missing = await client
      .system('nope')
      .path()
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RedfishError);
    expect((missing as RedfishError).status).toBe(404);
  });

  it('asks for a system id when the BMC has several systems', async () => {
    bmc.intercept((req, res) => {
      if (req.path !== '/redfish/v1/Systems') return false;
      json(res, 200, {
        Members: [
          { '@odata.id': '/redfish/v1/Systems/a' },
          { '@odata.id': '/redfish/v1/Systems/b' },
        ],
      });
      return true;
    });
    await expect(client.system().path()).rejects.toThrow(/2 systems/);
  });

  it('turns a Redfish error answer into RedfishError with status, code and messages', async () => {
    const err = (await client.get('/redfish/v1/Nowhere').catch((e: unknown) => e)) as RedfishError;
    expect(err).toBeInstanceOf(RedfishError);
    expect(err.status).toBe(404);
    expect(err.code).toBe('Base.1.8.GeneralError');
    expect(err.messages[0]?.MessageId).toBe('Base.1.8.ResourceMissingAtURI');
    expect(err.message).toContain('The resource at the URI /redfish/v1/Nowhere was not found.');
    expect(err.message).toContain('GET /redfish/v1/Nowhere');
    expect(client.stats.httpErrors).toBe(1);
  });

  it('reads the inventory: summaries, processors, NIC MACs and disks', async () => {
    const inventory = await client.system().inventory();
    expect(inventory.processorSummary?.Count).toBe(2);
    expect(inventory.memorySummary?.TotalSystemMemoryGiB).toBe(64);
    expect(inventory.processors.map((p) => p.Id)).toEqual(['CPU1', 'CPU2']);
    expect(inventory.networkInterfaces.map((n) => n.macAddress)).toEqual([
      '12:44:6a:3b:04:11',
      '12:44:6a:3b:88:90',
    ]);
    expect(inventory.disks).toEqual([
      expect.objectContaining({
        name: 'SATA Bay 1',
        sizeBytes: 8000000000000,
        source: 'SimpleStorage',
      }),
      expect.objectContaining({
        serialNumber: '1234570',
        sizeBytes: 899527000000,
        mediaType: 'HDD',
        protocol: 'SAS',
        source: 'Storage',
      }),
    ]);
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const basic = clientFor(bmc, { authType: 'basic' });
    for (let i = 0; i < 5; i++) await basic.get(SYSTEM);
    await basic.close();
    expect(bmc.connections).toBe(1);
    expect(basic.stats.requests).toBe(5);
    expect(basic.stats.latencyCount).toBe(5);
    expect(basic.stats.latencyMsTotal).toBeGreaterThan(0);
  });
});
