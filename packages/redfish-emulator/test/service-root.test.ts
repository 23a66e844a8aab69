import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedfishEmulator } from '../src/index';
import { redfishRequest, startRedfishFleet } from '../src/testing';

interface Collection {
  '@odata.id': string;
  'Members@odata.count': number;
  Members: { '@odata.id': string }[];
  'Members@odata.nextLink'?: string;
}

let emulator: RedfishEmulator;

beforeAll(async () => {
  emulator = await startRedfishFleet(3);
});

afterAll(async () => {
  await emulator?.close();
});

function idsIn(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) idsIn(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '@odata.id' && typeof inner === 'string') {
        if (!inner.includes('#')) found.add(inner);
      } else if (key === 'target' && typeof inner === 'string') continue;
      else idsIn(inner, found);
    }
  }
}

describe('service root and navigation', () => {
  it('answers /redfish and the service root without credentials', async () => {
    const versions = await redfishRequest(emulator, 'GET', '/redfish', { auth: 'none' });
    expect(versions.status).toBe(200);
    expect(versions.json).toEqual({ v1: '/redfish/v1/' });

    for (const path of ['/redfish/v1/', '/redfish/v1']) {
      const root = await redfishRequest(emulator, 'GET', path, { auth: 'none' });
      expect(root.status).toBe(200);
      expect(root.headers['odata-version']).toBe('4.0');
      expect(root.headers.etag).toMatch(/^"[^"]+"$/);
      expect(root.json).toMatchObject({
        '@odata.id': '/redfish/v1/',
        '@odata.type': expect.stringMatching(/^#ServiceRoot\.v1_\d+_\d+\.ServiceRoot$/),
        '@odata.etag': root.headers.etag,
        RedfishVersion: expect.any(String),
        Systems: { '@odata.id': '/redfish/v1/Systems' },
        Managers: { '@odata.id': '/redfish/v1/Managers' },
        Chassis: { '@odata.id': '/redfish/v1/Chassis' },
        SessionService: { '@odata.id': '/redfish/v1/SessionService' },
        Links: { Sessions: { '@odata.id': '/redfish/v1/SessionService/Sessions' } },
      });
    }
  });

  it('serves the OData service document and $metadata without credentials', async () => {
    const odata = await redfishRequest(emulator, 'GET', '/redfish/v1/odata', { auth: 'none' });
    expect(odata.status).toBe(200);
    expect(odata.json).toMatchObject({
      value: expect.arrayContaining([
        { name: 'Systems', kind: 'Singleton', url: '/redfish/v1/Systems' },
      ]),
    });
    const metadata = await redfishRequest(emulator, 'GET', '/redfish/v1/$metadata', {
      auth: 'none',
    });
    expect(metadata.status).toBe(200);
    expect(metadata.headers['content-type']).toContain('application/xml');
    expect(metadata.text).toContain('ServiceRoot');
  });

  it('lists Systems, Managers and Chassis with counts', async () => {
    for (const [path, member] of [
      ['/redfish/v1/Systems', '/redfish/v1/Systems/1'],
      ['/redfish/v1/Managers', '/redfish/v1/Managers/1'],
      ['/redfish/v1/Chassis', '/redfish/v1/Chassis/1'],
    ] as const) {
      const res = await redfishRequest(emulator, 'GET', path);
      expect(res.status).toBe(200);
      const body = res.json as Collection;
      expect(body['@odata.id']).toBe(path);
      expect(body['Members@odata.count']).toBe(3);
      expect(body.Members).toHaveLength(3);
      expect(body.Members[0]).toEqual({ '@odata.id': member });
      expect(body['Members@odata.nextLink']).toBeUndefined();
    }
  });

  it('every link reachable from the root resolves to a resource naming itself', async () => {
    const seen = new Set<string>();
    const queue = ['/redfish/v1/'];
    while (queue.length > 0) {
      const path = queue.shift() as string;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await redfishRequest(emulator, 'GET', path);
      expect(res.status, path).toBe(200);
      const body = res.json as Record<string, unknown>;
      expect(body['@odata.id'], path).toBe(path);
      expect(body['@odata.type'], path).toMatch(/^#\w+(\.v\d+_\d+_\d+)?\.\w+$/);
      const links = new Set<string>();
      idsIn(body, links);
      for (const link of links) if (!seen.has(link)) queue.push(link);
    }
    // Systems, their inventory, BIOS, virtual media, managers, chassis, services.
    expect(seen.size).toBeGreaterThan(60);
    expect(seen).toContain('/redfish/v1/Systems/2/Bios/Settings');
    expect(seen).toContain('/redfish/v1/Managers/3/VirtualMedia/Cd');
    expect(seen).toContain('/redfish/v1/Systems/1/Storage/1/Drives/Disk2');
    expect(seen).toContain('/redfish/v1/Systems/1/EthernetInterfaces/NIC1');
    expect(seen).toContain('/redfish/v1/Systems/1/SecureBoot');
    expect(seen).toContain('/redfish/v1/Systems/1/Storage/1/Controllers/0');
    expect(seen).toContain('/redfish/v1/Systems/1/Storage/1/Volumes');
    expect(seen).toContain('/redfish/v1/Chassis/3/Thermal');
    expect(seen).toContain('/redfish/v1/Chassis/3/Power');
  });

  it('links a System to its Manager and Chassis and back', async () => {
    const system = (await redfishRequest(emulator, 'GET', '/redfish/v1/Systems/2')).json as {
      Links: { ManagedBy: { '@odata.id': string }[]; Chassis: { '@odata.id': string }[] };
    };
    expect(system.Links.ManagedBy).toEqual([{ '@odata.id': '/redfish/v1/Managers/2' }]);
    expect(system.Links.Chassis).toEqual([{ '@odata.id': '/redfish/v1/Chassis/2' }]);
    const manager = (await redfishRequest(emulator, 'GET', '/redfish/v1/Managers/2')).json;
    expect(manager).toMatchObject({
      ManagerType: 'BMC',
      Links: { ManagerForServers: [{ '@odata.id': '/redfish/v1/Systems/2' }] },
    });
    const chassis = (await redfishRequest(emulator, 'GET', '/redfish/v1/Chassis/2')).json;
    expect(chassis).toMatchObject({
      Links: { ComputerSystems: [{ '@odata.id': '/redfish/v1/Systems/2' }] },
    });
  });

  it('describes the inventory: processors, memory, NICs with MACs, disks with capacities', async () => {
    const handle = emulator.system('1');
    const system = (await redfishRequest(emulator, 'GET', handle.path)).json;
    expect(system).toMatchObject({
      UUID: handle.uuid,
      ProcessorSummary: { Count: 2, LogicalProcessorCount: 32 },
      MemorySummary: { TotalSystemMemoryGiB: 64 },
    });
    const cpu = (await redfishRequest(emulator, 'GET', `${handle.path}/Processors/CPU1`)).json;
    expect(cpu).toMatchObject({ ProcessorType: 'CPU', TotalCores: 8, TotalThreads: 16 });
    const dimm = (await redfishRequest(emulator, 'GET', `${handle.path}/Memory/DIMM1`)).json;
    expect(dimm).toMatchObject({ CapacityMiB: 16384 });
    const nic = (await redfishRequest(emulator, 'GET', `${handle.path}/EthernetInterfaces/NIC1`))
      .json;
    expect(nic).toMatchObject({ MACAddress: handle.macAddresses[0] });
    expect(handle.macAddresses[0]).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    const simple = (await redfishRequest(emulator, 'GET', `${handle.path}/SimpleStorage/1`))
      .json as {
      Devices: { CapacityBytes: number }[];
    };
    expect(simple.Devices.map((d) => d.CapacityBytes)).toEqual([
      480_103_981_056, 2_000_398_934_016,
    ]);
    const drive = (await redfishRequest(emulator, 'GET', `${handle.path}/Storage/1/Drives/Disk1`))
      .json;
    expect(drive).toMatchObject({ CapacityBytes: 480_103_981_056, MediaType: 'SSD' });
  });

  it('answers unknown resources with 404 and a Base error body', async () => {
    for (const path of [
      '/redfish/v1/Systems/99',
      '/redfish/v1/Nope',
      '/redfish/v1/Systems/1/Memory/X',
    ]) {
      const res = await redfishRequest(emulator, 'GET', path);
      expect(res.status, path).toBe(404);
      expect(res.json).toMatchObject({
        error: {
          code: expect.stringMatching(/^Base\.1\.\d+\.\d+\.ResourceMissingAtURI$/),
          message: expect.stringContaining(path),
          '@Message.ExtendedInfo': [
            expect.objectContaining({ MessageId: expect.stringContaining('ResourceMissingAtURI') }),
          ],
        },
      });
    }
  });

  it('answers a method the resource does not take with 405 and Allow', async () => {
    const res = await redfishRequest(emulator, 'DELETE', '/redfish/v1/Systems/1');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, PATCH');
    expect(res.json).toMatchObject({
      error: { code: expect.stringContaining('OperationNotAllowed') },
    });
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await redfishRequest(emulator, 'HEAD', '/redfish/v1/Systems/1');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.headers.etag).toMatch(/^"/);
  });

  it('refuses malformed JSON and non-JSON bodies', async () => {
    const url = `${emulator.url}/redfish/v1/Systems/1`;
    const auth = `Basic ${Buffer.from('admin:password').toString('base64')}`;
    const bad = await fetch(url, {
      method: 'PATCH',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: '{"Boot": ',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toContain(
      'MalformedJSON',
    );
    const form = await fetch(url, {
      method: 'PATCH',
      headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(form.status).toBe(415);
  });
});

describe('collection paging', () => {
  let paged: RedfishEmulator;

  beforeAll(async () => {
    paged = await startRedfishFleet(7, { pageSize: 3 });
  });

  afterAll(async () => {
    await paged?.close();
  });

  it('follows Members@odata.nextLink through every page', async () => {
    const members: string[] = [];
    let next: string | undefined = '/redfish/v1/Systems';
    let pages = 0;
    while (next) {
      const res = await redfishRequest(paged, 'GET', next);
      expect(res.status).toBe(200);
      const body = res.json as Collection;
      expect(body['Members@odata.count']).toBe(7);
      expect(body.Members.length).toBeLessThanOrEqual(3);
      members.push(...body.Members.map((m) => m['@odata.id']));
      next = body['Members@odata.nextLink'];
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(members).toEqual(Array.from({ length: 7 }, (_, i) => `/redfish/v1/Systems/${i + 1}`));
  });

  it('answers 501 to unsupported $ query parameters and ignores other unknown ones', async () => {
    const expand = await redfishRequest(paged, 'GET', '/redfish/v1/Systems?$expand=.');
    expect(expand.status).toBe(501);
    expect(expand.json).toMatchObject({
      error: { code: expect.stringContaining('QueryNotSupported') },
    });
    expect((await redfishRequest(paged, 'GET', '/redfish/v1/Systems?colour=red')).status).toBe(200);
  });

  it('honours $top and refuses a bad $skip', async () => {
    const top = (await redfishRequest(paged, 'GET', '/redfish/v1/Managers?$top=2'))
      .json as Collection;
    expect(top.Members).toHaveLength(2);
    expect(top['Members@odata.nextLink']).toBeUndefined();
    const capped = (await redfishRequest(paged, 'GET', '/redfish/v1/Systems?$skip=1&$top=5'))
      .json as Collection;
    expect(capped.Members.map((m) => m['@odata.id'])).toEqual([
      '/redfish/v1/Systems/2',
      '/redfish/v1/Systems/3',
      '/redfish/v1/Systems/4',
    ]);
    expect(capped['Members@odata.nextLink']).toBe('/redfish/v1/Systems?$skip=4&$top=2');
    const rest = (await redfishRequest(paged, 'GET', capped['Members@odata.nextLink'] as string))
      .json as Collection;
    expect(rest.Members.map((m) => m['@odata.id'])).toEqual([
      '/redfish/v1/Systems/5',
      '/redfish/v1/Systems/6',
    ]);
    expect(rest['Members@odata.nextLink']).toBeUndefined();
    const bad = await redfishRequest(paged, 'GET', '/redfish/v1/Managers?$skip=x');
    expect(bad.status).toBe(400);
    const beyond = await redfishRequest(paged, 'GET', '/redfish/v1/Managers?$skip=50');
    expect(beyond.status).toBe(400);
  });
});
