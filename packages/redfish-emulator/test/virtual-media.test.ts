import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedfishEmulator } from '../src/index';
import { redfishRequest, startRedfishFleet } from '../src/testing';

interface VirtualMedia {
  Id: string;
  MediaTypes: string[];
  Image: string | null;
  ImageName: string | null;
  Inserted: boolean;
  WriteProtected: boolean;
  ConnectedVia: string;
  Actions: Record<string, { target: string }>;
}

describe('virtual media on per-System managers', () => {
  let emulator: RedfishEmulator;

  beforeAll(async () => {
    emulator = await startRedfishFleet(2);
  });

  afterAll(async () => {
    await emulator?.close();
  });

  async function media(path: string): Promise<VirtualMedia> {
    const res = await redfishRequest(emulator, 'GET', path);
    expect(res.status).toBe(200);
    return res.json as VirtualMedia;
  }

  it('lists a CD and a USB slot under the manager', async () => {
    const manager = (await redfishRequest(emulator, 'GET', '/redfish/v1/Managers/1')).json as {
      VirtualMedia: { '@odata.id': string };
    };
    expect(manager.VirtualMedia).toEqual({ '@odata.id': '/redfish/v1/Managers/1/VirtualMedia' });
    const collection = (await redfishRequest(emulator, 'GET', manager.VirtualMedia['@odata.id']))
      .json;
    expect(collection).toMatchObject({
      'Members@odata.count': 2,
      Members: [
        { '@odata.id': '/redfish/v1/Managers/1/VirtualMedia/Cd' },
        { '@odata.id': '/redfish/v1/Managers/1/VirtualMedia/Usb' },
      ],
    });
    expect((await media('/redfish/v1/Managers/1/VirtualMedia/Cd')).MediaTypes).toEqual([
      'CD',
      'DVD',
    ]);
    expect((await media('/redfish/v1/Managers/1/VirtualMedia/Usb')).MediaTypes).toContain(
      'USBStick',
    );
  });

  it('inserts an image (Inserted and WriteProtected default to true) and ejects it', async () => {
    const cd = await media('/redfish/v1/Managers/1/VirtualMedia/Cd');
    expect(cd).toMatchObject({ Image: null, Inserted: false, ConnectedVia: 'NotConnected' });
    const insert = await redfishRequest(
      emulator,
      'POST',
      cd.Actions['#VirtualMedia.InsertMedia']?.target as string,
      {
        body: { Image: 'http://192.0.2.10/images/deploy.iso', TransferProtocolType: 'HTTP' },
      },
    );
    expect(insert.status).toBe(204);
    expect(await media('/redfish/v1/Managers/1/VirtualMedia/Cd')).toMatchObject({
      Image: 'http://192.0.2.10/images/deploy.iso',
      ImageName: 'deploy.iso',
      Inserted: true,
      WriteProtected: true,
      ConnectedVia: 'URI',
    });
    expect(emulator.system('1').state().media.Cd).toMatchObject({
      image: 'http://192.0.2.10/images/deploy.iso',
      inserted: true,
      transferProtocolType: 'HTTP',
    });
    // The same device seen from the System.
    expect(await media('/redfish/v1/Systems/1/VirtualMedia/Cd')).toMatchObject({ Inserted: true });

    // sushy ejects with a POST without a body.
    const eject = await redfishRequest(
      emulator,
      'POST',
      cd.Actions['#VirtualMedia.EjectMedia']?.target as string,
    );
    expect(eject.status).toBe(204);
    expect(await media('/redfish/v1/Managers/1/VirtualMedia/Cd')).toMatchObject({
      Image: null,
      Inserted: false,
    });
  });

  it('takes Inserted, WriteProtected and credentials, never showing the password', async () => {
    const target = '/redfish/v1/Managers/2/VirtualMedia/Usb/Actions/VirtualMedia.InsertMedia';
    const res = await redfishRequest(emulator, 'POST', target, {
      body: {
        Image: 'https://192.0.2.10/cfg.img',
        Inserted: false,
        WriteProtected: false,
        UserName: 'fetcher',
        Password: 'image-secret',
      },
    });
    expect(res.status).toBe(204);
    const usb = await redfishRequest(emulator, 'GET', '/redfish/v1/Managers/2/VirtualMedia/Usb');
    expect(usb.json).toMatchObject({ Inserted: false, WriteProtected: false, UserName: 'fetcher' });
    expect(usb.text).not.toContain('image-secret');
  });

  it('refuses a second image in a busy slot with 409', async () => {
    const target = '/redfish/v1/Managers/2/VirtualMedia/Cd/Actions/VirtualMedia.InsertMedia';
    expect(
      (await redfishRequest(emulator, 'POST', target, { body: { Image: 'http://a/1.iso' } }))
        .status,
    ).toBe(204);
    const busy = await redfishRequest(emulator, 'POST', target, {
      body: { Image: 'http://a/2.iso' },
    });
    expect(busy.status).toBe(409);
    expect(busy.json).toMatchObject({ error: { code: expect.stringContaining('ResourceInUse') } });
    expect(emulator.system('2').state().media.Cd?.image).toBe('http://a/1.iso');
  });

  it('refuses a missing or malformed Image and unknown parameters', async () => {
    const target = '/redfish/v1/Managers/1/VirtualMedia/Usb/Actions/VirtualMedia.InsertMedia';
    const cases: [unknown, string][] = [
      [{}, 'ActionParameterMissing'],
      [{ Image: 'not a uri' }, 'ActionParameterValueFormatError'],
      [{ Image: 'http://a/b.img', Inserted: 'yes' }, 'ActionParameterValueTypeError'],
      [
        { Image: 'http://a/b.img', TransferProtocolType: 'Pigeon' },
        'ActionParameterValueNotInList',
      ],
      [{ Image: 'http://a/b.img', Speed: 'fast' }, 'ActionParameterUnknown'],
    ];
    for (const [body, code] of cases) {
      const res = await redfishRequest(emulator, 'POST', target, { body });
      expect(res.status, code).toBe(400);
      expect(res.json).toMatchObject({ error: { code: expect.stringContaining(code) } });
    }
    expect(emulator.system('1').state().media.Usb?.image).toBeNull();
  });
});

describe('virtual media with one shared manager', () => {
  let emulator: RedfishEmulator;

  beforeAll(async () => {
    emulator = await startRedfishFleet(3, { managers: 'shared' });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('has one manager for every System and virtual media under each System', async () => {
    const managers = (await redfishRequest(emulator, 'GET', '/redfish/v1/Managers')).json;
    expect(managers).toMatchObject({
      'Members@odata.count': 1,
      Members: [{ '@odata.id': '/redfish/v1/Managers/BMC' }],
    });
    const manager = (await redfishRequest(emulator, 'GET', '/redfish/v1/Managers/BMC'))
      .json as Record<string, unknown>;
    expect(manager.VirtualMedia).toBeUndefined();
    expect(manager).toMatchObject({
      Links: {
        ManagerForServers: [1, 2, 3].map((n) => ({ '@odata.id': `/redfish/v1/Systems/${n}` })),
      },
    });
    expect(
      (await redfishRequest(emulator, 'GET', '/redfish/v1/Managers/BMC/VirtualMedia')).status,
    ).toBe(404);

    const target = '/redfish/v1/Systems/2/VirtualMedia/Cd/Actions/VirtualMedia.InsertMedia';
    expect(
      (await redfishRequest(emulator, 'POST', target, { body: { Image: 'http://a/x.iso' } }))
        .status,
    ).toBe(204);
    expect(emulator.system('2').state().media.Cd?.inserted).toBe(true);
    expect(emulator.system('1').state().media.Cd?.inserted).toBe(false);
  });
});

describe('virtual media by PATCH (BMCs without the actions)', () => {
  let emulator: RedfishEmulator;
  const cd = '/redfish/v1/Managers/1/VirtualMedia/Cd';

  beforeAll(async () => {
    emulator = await startRedfishFleet(1, { virtualMedia: 'patch' });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('offers no actions but PATCH, and attaches and ejects by PATCH with If-Match', async () => {
    const before = await redfishRequest(emulator, 'GET', cd);
    expect(before.headers.allow).toBe('GET, PATCH');
    expect((before.json as Record<string, unknown>).Actions).toBeUndefined();
    expect(
      (
        await redfishRequest(emulator, 'POST', `${cd}/Actions/VirtualMedia.InsertMedia`, {
          body: { Image: 'http://a/b.iso' },
        })
      ).status,
    ).toBe(404);

    const insert = await redfishRequest(emulator, 'PATCH', cd, {
      headers: { 'If-Match': before.headers.etag as string },
      body: { Image: 'http://192.0.2.1/boot.iso', Inserted: true, WriteProtected: true },
    });
    expect(insert.status).toBe(200);
    expect(insert.json).toMatchObject({
      Image: 'http://192.0.2.1/boot.iso',
      Inserted: true,
      ConnectedVia: 'URI',
    });
    expect(emulator.system('1').state().media.Cd).toMatchObject({
      image: 'http://192.0.2.1/boot.iso',
      inserted: true,
    });

    const stale = await redfishRequest(emulator, 'PATCH', cd, {
      headers: { 'If-Match': before.headers.etag as string },
      body: { Image: null, Inserted: false },
    });
    expect(stale.status).toBe(412);

    const eject = await redfishRequest(emulator, 'PATCH', cd, {
      body: { Image: null, Inserted: false },
    });
    expect(eject.status).toBe(200);
    expect(emulator.system('1').state().media.Cd).toMatchObject({ image: null, inserted: false });

    const bad = await redfishRequest(emulator, 'PATCH', cd, { body: { Image: 42 } });
    expect(bad.status).toBe(400);
  });

  it('with the actions (the default), a PATCH is a 405', async () => {
    const other = await startRedfishFleet(1);
    try {
      const res = await redfishRequest(other, 'PATCH', cd, { body: { Image: 'http://a/b.iso' } });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    } finally {
      await other.close();
    }
  });
});
