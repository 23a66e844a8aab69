import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedfishUnsupportedError } from '../src/index';
import type { RedfishClient, RedfishError } from '../src/index';
import { clientFor } from './support/client';
import { FakeBmc, json } from './support/fake-bmc';
import { CD1, MANAGER, RESET_TARGET, SUBSCRIPTIONS, SYSTEM, errorBody } from './support/mockup';

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

describe('ComputerSystem.Reset', () => {
  it('posts the ResetType to the action target', async () => {
    const result = await client.system().reset('ForceOff');
    expect(result.status).toBe(204);
    expect(bmc.requestsTo('POST', RESET_TARGET).map((r) => r.body)).toEqual([
      { ResetType: 'ForceOff' },
    ]);
    expect((await client.system().get()).PowerState).toBe('Off');
  });

  it('refuses a ResetType outside ResetType@Redfish.AllowableValues without posting', async () => {
    const err = await client
      .system()
      .reset('PowerCycle')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedfishUnsupportedError);
    expect((err as Error).message).toContain('ForceRestart');
    expect(bmc.requestsTo('POST', RESET_TARGET)).toHaveLength(0);
  });

  it('reads allowable values from @Redfish.ActionInfo when there is no annotation', async () => {
    const system = bmc.docs.get(SYSTEM) as { Actions: Record<string, unknown> };
    system.Actions['#ComputerSystem.Reset'] = {
      target: RESET_TARGET,
      '@Redfish.ActionInfo': `${SYSTEM}/ResetActionInfo`,
    };
    bmc.docs.set(`${SYSTEM}/ResetActionInfo`, {
      '@odata.id': `${SYSTEM}/ResetActionInfo`,
      '@odata.type': '#ActionInfo.v1_3_0.ActionInfo',
      Parameters: [
        {
          Name: 'ResetType',
          Required: true,
          DataType: 'String',
          AllowableValues: ['On', 'ForceOff'],
        },
      ],
    });
    await expect(client.system().reset('ForceRestart')).rejects.toBeInstanceOf(
      RedfishUnsupportedError,
    );
    await client.system().reset('On');
    expect(bmc.requestsTo('POST', RESET_TARGET)).toHaveLength(1);
  });

  it('reports a BMC refusal with its extended info', async () => {
    bmc.intercept((req, res) => {
      if (req.path !== RESET_TARGET) return false;
      json(
        res,
        409,
        errorBody(
          'Base.1.8.ActionNotSupported',
          'The action is not supported while the system is in POST.',
        ),
      );
      return true;
    });
    const err = (await client
      .system()
      .reset('On')
      .catch((e: unknown) => e)) as RedfishError;
    expect(err.status).toBe(409);
    expect(err.messages[0]?.MessageId).toBe('Base.1.8.ActionNotSupported');
  });
});

describe('boot source override', () => {
  it('PATCHes Boot with the ETag the system gave as If-Match', async () => {
    await client.system().setBootOverride({ target: 'Pxe', enabled: 'Once', mode: 'UEFI' });
    const [patch] = bmc.requestsTo('PATCH', SYSTEM);
    expect(patch?.body).toEqual({
      Boot: {
        BootSourceOverrideTarget: 'Pxe',
        BootSourceOverrideEnabled: 'Once',
        BootSourceOverrideMode: 'UEFI',
      },
    });
    expect(patch?.headers['if-match']).toBe('"1"');
    const boot = (await client.system().get()).Boot;
    expect(boot?.BootSourceOverrideTarget).toBe('Pxe');
    expect(boot?.BootSourceOverrideEnabled).toBe('Once');
  });

  it('re-reads and resends once after 412 Precondition Failed', async () => {
    // Another client changes the system between our read and our PATCH.
    let raced = false;
    bmc.intercept((req) => {
      if (req.method === 'PATCH' && !raced) {
        raced = true;
        bmc.touch(SYSTEM, { AssetTag: 'changed elsewhere' });
      }
      return false;
    });
    await client.system().setBootOverride({ target: 'Cd', enabled: 'Continuous' });
    const patches = bmc.requestsTo('PATCH', SYSTEM);
    expect(patches.map((p) => p.headers['if-match'])).toEqual(['"1"', '"2"']);
    expect((await client.system().get()).Boot?.BootSourceOverrideTarget).toBe('Cd');
  });

  it('gives up after a second 412', async () => {
    bmc.intercept((req) => {
      if (req.method === 'PATCH') bmc.touch(SYSTEM, { AssetTag: `t${Date.now()}` });
      return false;
    });
    const err = (await client
      .system()
      .setBootOverride({ target: 'Hdd' })
      .catch((e: unknown) => e)) as RedfishError;
    expect(err.status).toBe(412);
    expect(bmc.requestsTo('PATCH', SYSTEM)).toHaveLength(2);
  });

  it('sends the properties the system settings object carries to it, the rest to the system', async () => {
    const system = bmc.docs.get(SYSTEM) as Record<string, unknown>;
    system['@Redfish.Settings'] = { SettingsObject: { '@odata.id': `${SYSTEM}/Settings` } };
    bmc.docs.set(`${SYSTEM}/Settings`, {
      '@odata.id': `${SYSTEM}/Settings`,
      Boot: { BootSourceOverrideMode: 'UEFI' },
    });
    await client.system().setBootOverride({ target: 'Pxe', enabled: 'Once', mode: 'Legacy' });
    const [viaSettings] = bmc.requestsTo('PATCH', `${SYSTEM}/Settings`);
    expect(viaSettings?.body).toEqual({ Boot: { BootSourceOverrideMode: 'Legacy' } });
    expect(viaSettings?.headers['if-match']).toBe('"1"');
    expect(bmc.requestsTo('PATCH', SYSTEM)[0]?.body).toEqual({
      Boot: { BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Once' },
    });
  });

  it('refuses a target the BMC does not allow', async () => {
    await expect(client.system().setBootOverride({ target: 'UefiHttp' })).rejects.toBeInstanceOf(
      RedfishUnsupportedError,
    );
    expect(bmc.requestsTo('PATCH', SYSTEM)).toHaveLength(0);
  });

  it('sends no If-Match when the resource has no ETag', async () => {
    bmc.intercept((req, res) => {
      if (req.method !== 'GET' || req.path !== SYSTEM) return false;
      const { ...doc } = bmc.docs.get(SYSTEM) ?? {};
      json(res, 200, doc);
      return true;
    });
    await client.system().setBootOverride({ target: 'Pxe' });
    expect(bmc.requestsTo('PATCH', SYSTEM)[0]?.headers['if-match']).toBeUndefined();
  });
});

describe('virtual media', () => {
  it('lists the devices of the managing BMC, inserts and ejects through the actions', async () => {
    const devices = await client.system().virtualMedia();
    expect(devices.map((d) => d.Id)).toEqual(['CD1', 'Floppy1']);
    await client.insertMedia(CD1, { image: 'http://198.51.100.1/deploy.iso' });
    expect(bmc.requestsTo('POST', `${CD1}/Actions/VirtualMedia.InsertMedia`)[0]?.body).toEqual({
      Image: 'http://198.51.100.1/deploy.iso',
      Inserted: true,
      WriteProtected: true,
    });
    expect((await client.get(CD1)).Inserted).toBe(true);
    await client.ejectMedia(CD1);
    expect(bmc.requestsTo('POST', `${CD1}/Actions/VirtualMedia.EjectMedia`)).toHaveLength(1);
    expect((await client.get(CD1)).Inserted).toBe(false);
  });

  it('finds managers under Links.Managers on BMCs without ManagedBy', async () => {
    const system = bmc.docs.get(SYSTEM) as { Links: Record<string, unknown> };
    system.Links = { Managers: system.Links.ManagedBy };
    expect((await client.system().virtualMedia()).map((d) => d.Id)).toEqual(['CD1', 'Floppy1']);
  });

  it('falls back to PATCH on devices without the actions', async () => {
    const floppy = `${MANAGER}/VirtualMedia/Floppy1`;
    await client.insertMedia(floppy, {
      image: 'http://198.51.100.1/config.img',
      writeProtected: false,
    });
    expect(bmc.requestsTo('PATCH', floppy)[0]?.body).toEqual({
      Image: 'http://198.51.100.1/config.img',
      Inserted: true,
      WriteProtected: false,
    });
    await client.ejectMedia(floppy);
    expect(bmc.requestsTo('PATCH', floppy)[1]?.body).toEqual({ Image: null, Inserted: false });
  });
});

describe('BIOS', () => {
  it('reads current and pending attributes', async () => {
    const system = client.system();
    expect((await system.getBiosAttributes()).ProcTurboMode).toBe('Enabled');
    expect(await system.getPendingBiosAttributes()).toEqual({ ProcTurboMode: 'Disabled' });
  });

  it('PATCHes new attributes to the @Redfish.Settings SettingsObject with its ETag', async () => {
    await client.system().setBiosAttributes({ ProcHyperthreading: 'Disabled', ProcCoreDisable: 2 });
    const [patch] = bmc.requestsTo('PATCH', `${SYSTEM}/Bios/Settings`);
    expect(patch?.body).toEqual({
      Attributes: { ProcHyperthreading: 'Disabled', ProcCoreDisable: 2 },
    });
    expect(patch?.headers['if-match']).toBe('"1"');
    expect(bmc.requestsTo('PATCH', `${SYSTEM}/Bios`)).toHaveLength(0);
    expect(await client.system().getPendingBiosAttributes()).toEqual({
      ProcTurboMode: 'Disabled',
      ProcHyperthreading: 'Disabled',
      ProcCoreDisable: 2,
    });
  });

  it('resets the BIOS through #Bios.ResetBios', async () => {
    await client.system().resetBios();
    expect(bmc.requestsTo('POST', `${SYSTEM}/Bios/Actions/Bios.ResetBios`)).toHaveLength(1);
  });
});

describe('event subscriptions', () => {
  it('creates, lists, reads and deletes a subscription', async () => {
    const created = await client.createSubscription({
      destination: 'https://galvanic.example/events',
      context: 'node-1234',
      registryPrefixes: ['Base'],
      httpHeaders: { Authorization: 'Bearer hook-secret' },
    });
    expect(created.path).toMatch(new RegExp(`^${SUBSCRIPTIONS}/`));
    const [post] = bmc.requestsTo('POST', SUBSCRIPTIONS);
    expect(post?.body).toEqual({
      Destination: 'https://galvanic.example/events',
      Protocol: 'Redfish',
      Context: 'node-1234',
      RegistryPrefixes: ['Base'],
      HttpHeaders: [{ Authorization: 'Bearer hook-secret' }],
    });
    expect((await client.listSubscriptions()).map((s) => s.Context)).toEqual(['node-1234']);
    expect((await client.getSubscription(created.path)).Destination).toBe(
      'https://galvanic.example/events',
    );
    await client.deleteSubscription(created.path);
    expect(await client.listSubscriptions()).toEqual([]);
    // Deleting again is not an error: it is gone either way.
    await client.deleteSubscription(created.path);
  });
});
