import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RedfishEmulator } from '../src/index';
import { redfishRequest, simulatedBackend, startRedfishFleet } from '../src/testing';

let emulator: RedfishEmulator;

beforeAll(async () => {
  emulator = await startRedfishFleet(4);
});

afterAll(async () => {
  await emulator?.close();
});

afterEach(() => {
  emulator.faults.clear();
});

const RESET = (id: string): string => `/redfish/v1/Systems/${id}/Actions/ComputerSystem.Reset`;

async function reset(id: string, resetType: unknown): Promise<{ status: number; json: unknown }> {
  return redfishRequest(emulator, 'POST', RESET(id), { body: { ResetType: resetType } });
}

async function powerState(id: string): Promise<string> {
  const res = await redfishRequest(emulator, 'GET', `/redfish/v1/Systems/${id}`);
  return (res.json as { PowerState: string }).PowerState;
}

async function waitForPower(id: string, state: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if ((await powerState(id)) === state) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`System ${id} never reached ${state}`);
}

describe('ComputerSystem.Reset', () => {
  it('advertises the reset types', async () => {
    const system = (await redfishRequest(emulator, 'GET', '/redfish/v1/Systems/1')).json as {
      Actions: Record<string, { target: string; 'ResetType@Redfish.AllowableValues': string[] }>;
    };
    const action = system.Actions['#ComputerSystem.Reset'];
    expect(action?.target).toBe(RESET('1'));
    expect(action?.['ResetType@Redfish.AllowableValues']).toEqual(
      expect.arrayContaining([
        'On',
        'ForceOff',
        'GracefulShutdown',
        'GracefulRestart',
        'ForceRestart',
        'Nmi',
        'PushPowerButton',
      ]),
    );
  });

  it('powers on and off, restarts and toggles with the power button', async () => {
    const system = emulator.system('1');
    const backend = simulatedBackend(system);
    expect(await powerState('1')).toBe('Off');
    expect((await reset('1', 'On')).status).toBe(204);
    expect(await powerState('1')).toBe('On');
    expect(system.state().powerState).toBe('On');
    const bootsBefore = backend.history().boots;
    expect((await reset('1', 'ForceRestart')).status).toBe(204);
    expect(await powerState('1')).toBe('On');
    expect(backend.history().boots).toBe(bootsBefore + 1);
    expect((await reset('1', 'Nmi')).status).toBe(204);
    expect(backend.history().nmis).toBe(1);
    expect((await reset('1', 'GracefulShutdown')).status).toBe(204);
    expect(await powerState('1')).toBe('Off');
    expect((await reset('1', 'PushPowerButton')).status).toBe(204);
    expect(await powerState('1')).toBe('On');
    expect((await reset('1', 'ForceOff')).status).toBe(204);
    expect(await powerState('1')).toBe('Off');
    expect(backend.history().resets).toEqual([
      'On',
      'ForceRestart',
      'Nmi',
      'GracefulShutdown',
      'PushPowerButton',
      'ForceOff',
    ]);
  });

  it('goes through PoweringOn and PoweringOff when transitions take time', async () => {
    emulator.faults.powerTransitionMs = 600;
    expect((await reset('2', 'On')).status).toBe(204);
    expect(await powerState('2')).toBe('PoweringOn');
    await waitForPower('2', 'On');
    expect((await reset('2', 'GracefulShutdown')).status).toBe(204);
    expect(await powerState('2')).toBe('PoweringOff');
    await waitForPower('2', 'Off');
  });

  it('refuses a missing, unknown or mistyped ResetType with Base messages', async () => {
    const missing = await redfishRequest(emulator, 'POST', RESET('1'), { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({
      error: {
        code: expect.stringContaining('ActionParameterMissing'),
        '@Message.ExtendedInfo': [
          expect.objectContaining({ MessageArgs: ['ComputerSystem.Reset', 'ResetType'] }),
        ],
      },
    });
    const unknown = await reset('1', 'Explode');
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({
      error: { code: expect.stringContaining('ActionParameterValueNotInList') },
    });
    expect((await reset('1', 7)).json).toMatchObject({
      error: { code: expect.stringContaining('ActionParameterValueTypeError') },
    });
    const extra = await redfishRequest(emulator, 'POST', RESET('1'), {
      body: { ResetType: 'On', Force: true },
    });
    expect(extra.json).toMatchObject({
      error: { code: expect.stringContaining('ActionParameterUnknown') },
    });
    expect(emulator.system('1').state().powerState).toBe('Off');
  });
});

describe('boot override PATCH', () => {
  const path = '/redfish/v1/Systems/3';

  async function current(): Promise<{ etag: string; boot: Record<string, unknown> }> {
    const res = await redfishRequest(emulator, 'GET', path);
    const body = res.json as { Boot: Record<string, unknown>; '@odata.etag': string };
    expect(body['@odata.etag']).toBe(res.headers.etag);
    return { etag: res.headers.etag as string, boot: body.Boot };
  }

  it('advertises targets and modes', async () => {
    const { boot } = await current();
    expect(boot['BootSourceOverrideTarget@Redfish.AllowableValues']).toEqual(
      expect.arrayContaining(['None', 'Pxe', 'Hdd', 'Cd', 'BiosSetup', 'UefiHttp']),
    );
    expect(boot).toMatchObject({
      BootSourceOverrideEnabled: 'Disabled',
      BootSourceOverrideTarget: 'None',
      BootSourceOverrideMode: 'UEFI',
    });
  });

  it('applies a PATCH whose If-Match is the current ETag, and changes the ETag', async () => {
    const before = await current();
    const res = await redfishRequest(emulator, 'PATCH', path, {
      headers: { 'If-Match': before.etag },
      body: {
        Boot: {
          BootSourceOverrideTarget: 'Pxe',
          BootSourceOverrideEnabled: 'Continuous',
          BootSourceOverrideMode: 'Legacy',
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      Boot: {
        BootSourceOverrideTarget: 'Pxe',
        BootSourceOverrideEnabled: 'Continuous',
        BootSourceOverrideMode: 'Legacy',
      },
    });
    expect(res.headers.etag).not.toBe(before.etag);
    expect(emulator.system('3').state().bootOverride).toEqual({
      target: 'Pxe',
      enabled: 'Continuous',
      mode: 'Legacy',
      httpBootUri: null,
    });
  });

  it('answers 412 to a stale or weak If-Match and changes nothing', async () => {
    const before = await current();
    for (const ifMatch of ['"stale"', `W/${before.etag}`]) {
      const res = await redfishRequest(emulator, 'PATCH', path, {
        headers: { 'If-Match': ifMatch },
        body: { Boot: { BootSourceOverrideTarget: 'Hdd' } },
      });
      expect(res.status, ifMatch).toBe(412);
      expect(res.json).toMatchObject({
        error: { code: expect.stringContaining('PreconditionFailed') },
      });
    }
    expect((await current()).boot.BootSourceOverrideTarget).toBe(
      before.boot.BootSourceOverrideTarget,
    );
    const star = await redfishRequest(emulator, 'PATCH', path, {
      headers: { 'If-Match': '*' },
      body: { Boot: { BootSourceOverrideTarget: 'Hdd' } },
    });
    expect(star.status).toBe(200);
  });

  it('uses up a one-time override at the next boot', async () => {
    const res = await redfishRequest(emulator, 'PATCH', path, {
      body: {
        Boot: {
          BootSourceOverrideTarget: 'UefiHttp',
          BootSourceOverrideEnabled: 'Once',
          BootSourceOverrideMode: 'UEFI',
          HttpBootUri: 'http://192.0.2.1/boot.efi',
        },
      },
    });
    expect(res.status).toBe(200);
    expect(emulator.system('3').state().bootOverride).toMatchObject({
      target: 'UefiHttp',
      enabled: 'Once',
      httpBootUri: 'http://192.0.2.1/boot.efi',
    });
    await reset('3', 'On');
    expect(emulator.system('3').state().bootOverride).toMatchObject({
      target: 'UefiHttp',
      enabled: 'Disabled',
    });
  });

  it('refuses values out of the list, read-only and unknown properties', async () => {
    const cases: [unknown, string][] = [
      [{ Boot: { BootSourceOverrideTarget: 'Floppy2' } }, 'PropertyValueNotInList'],
      [{ Boot: { BootSourceOverrideEnabled: true } }, 'PropertyValueTypeError'],
      [{ Boot: { Colour: 'blue' } }, 'PropertyUnknown'],
      [{ PowerState: 'On' }, 'PropertyNotWritable'],
      [{ Flavour: 'x' }, 'PropertyUnknown'],
    ];
    for (const [body, code] of cases) {
      const res = await redfishRequest(emulator, 'PATCH', path, { body });
      expect(res.status, code).toBe(400);
      expect(res.json).toMatchObject({
        error: {
          '@Message.ExtendedInfo': [
            expect.objectContaining({ MessageId: expect.stringContaining(code) }),
          ],
        },
      });
    }
  });

  it('sets the indicator LED through IndicatorLED or LocationIndicatorActive', async () => {
    await redfishRequest(emulator, 'PATCH', path, { body: { LocationIndicatorActive: true } });
    expect(emulator.system('3').state().indicatorLed).toBe('Blinking');
    const res = await redfishRequest(emulator, 'PATCH', path, { body: { IndicatorLED: 'Off' } });
    expect(res.json).toMatchObject({ IndicatorLED: 'Off', LocationIndicatorActive: false });
  });
});

describe('If-Match required', () => {
  let strict: RedfishEmulator;

  beforeAll(async () => {
    strict = await startRedfishFleet(1, { requireIfMatch: true });
  });

  afterAll(async () => {
    await strict?.close();
  });

  it('answers 428 to a PATCH without If-Match', async () => {
    const res = await redfishRequest(strict, 'PATCH', '/redfish/v1/Systems/1', {
      body: { Boot: { BootSourceOverrideTarget: 'Pxe' } },
    });
    expect(res.status).toBe(428);
    expect(res.json).toMatchObject({
      error: { code: expect.stringContaining('PreconditionRequired') },
    });
  });
});

describe('weak ETags', () => {
  let weak: RedfishEmulator;

  beforeAll(async () => {
    weak = await startRedfishFleet(1, { weakEtags: true });
  });

  afterAll(async () => {
    await weak?.close();
  });

  it('shows W/"…" but wants the strong form in If-Match', async () => {
    const res = await redfishRequest(weak, 'GET', '/redfish/v1/Systems/1');
    const shown = res.headers.etag as string;
    expect(shown).toMatch(/^W\/"[^"]+"$/);
    expect((res.json as Record<string, unknown>)['@odata.etag']).toBe(shown);
    const body = { Boot: { BootSourceOverrideTarget: 'Pxe' } };
    const asShown = await redfishRequest(weak, 'PATCH', '/redfish/v1/Systems/1', {
      headers: { 'If-Match': shown },
      body,
    });
    expect(asShown.status).toBe(412);
    const strong = await redfishRequest(weak, 'PATCH', '/redfish/v1/Systems/1', {
      headers: { 'If-Match': shown.slice(2) },
      body,
    });
    expect(strong.status).toBe(200);
    const bios = (await redfishRequest(weak, 'GET', '/redfish/v1/Systems/1/Bios')).json as {
      '@Redfish.Settings': { ETag: string };
    };
    expect(bios['@Redfish.Settings'].ETag).toMatch(/^W\//);
  });
});

describe('BIOS', () => {
  const bios = '/redfish/v1/Systems/4/Bios';

  it('shows attributes and where pending settings go', async () => {
    const res = await redfishRequest(emulator, 'GET', bios);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      '@odata.type': expect.stringMatching(/^#Bios\.v1_\d+_\d+\.Bios$/),
      Attributes: { ProcTurboMode: 'Enabled', BootMode: 'Uefi' },
      '@Redfish.Settings': {
        SettingsObject: { '@odata.id': `${bios}/Settings` },
        SupportedApplyTimes: ['OnReset'],
      },
      Actions: { '#Bios.ResetBios': { target: `${bios}/Actions/Bios.ResetBios` } },
    });
    const patch = await redfishRequest(emulator, 'PATCH', bios, { body: { Attributes: {} } });
    expect(patch.status).toBe(405);
  });

  it('keeps PATCHed attributes pending until the next reset, then applies them', async () => {
    const before = await redfishRequest(emulator, 'GET', bios);
    const settingsEtag = (before.json as { '@Redfish.Settings': { ETag: string } })[
      '@Redfish.Settings'
    ].ETag;
    const patch = await redfishRequest(emulator, 'PATCH', `${bios}/Settings`, {
      headers: { 'If-Match': settingsEtag },
      body: { Attributes: { ProcTurboMode: 'Disabled', ProcCoreDisable: 2 } },
    });
    expect(patch.status).toBe(200);
    const pending = await redfishRequest(emulator, 'GET', `${bios}/Settings`);
    expect((pending.json as { Attributes: unknown }).Attributes).toEqual({
      ProcTurboMode: 'Disabled',
      ProcCoreDisable: 2,
    });
    const current = await redfishRequest(emulator, 'GET', bios);
    expect(current.json).toMatchObject({
      Attributes: { ProcTurboMode: 'Enabled', ProcCoreDisable: 0 },
    });
    expect(emulator.system('4').state().bios.pending).toEqual({
      ProcTurboMode: 'Disabled',
      ProcCoreDisable: 2,
    });

    await reset('4', 'On');
    const applied = await redfishRequest(emulator, 'GET', bios);
    expect(applied.json).toMatchObject({
      Attributes: { ProcTurboMode: 'Disabled', ProcCoreDisable: 2 },
      '@Redfish.Settings': { Time: expect.any(String) },
    });
    const empty = await redfishRequest(emulator, 'GET', `${bios}/Settings`);
    expect((empty.json as { Attributes: unknown }).Attributes).toEqual({});
  });

  it('does not apply pending settings on power off', async () => {
    await redfishRequest(emulator, 'PATCH', `${bios}/Settings`, {
      body: { Attributes: { UsbControl: 'UsbDisabled' } },
    });
    await reset('4', 'ForceOff');
    expect(emulator.system('4').state().bios.attributes.UsbControl).toBe('UsbEnabled');
    await reset('4', 'On');
    expect(emulator.system('4').state().bios.attributes.UsbControl).toBe('UsbDisabled');
  });

  it('refuses unknown attributes, wrong types and values out of the list or range', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ NoSuchThing: 1 }, 'PropertyUnknown'],
      [{ ProcTurboMode: true }, 'PropertyValueTypeError'],
      [{ ProcTurboMode: 'Sometimes' }, 'PropertyValueNotInList'],
      [{ ProcCoreDisable: 99 }, 'PropertyValueOutOfRange'],
    ];
    for (const [attributes, code] of cases) {
      const res = await redfishRequest(emulator, 'PATCH', `${bios}/Settings`, {
        body: { Attributes: attributes },
      });
      expect(res.status, code).toBe(400);
      expect(res.json).toMatchObject({ error: { code: expect.stringContaining(code) } });
    }
    expect(emulator.system('4').state().bios.pending).toEqual({});
  });

  it('answers 412 to a PATCH of the settings with a stale ETag', async () => {
    const res = await redfishRequest(emulator, 'PATCH', `${bios}/Settings`, {
      headers: { 'If-Match': '"old"' },
      body: { Attributes: { ProcTurboMode: 'Enabled' } },
    });
    expect(res.status).toBe(412);
  });

  it('ResetBios restores the defaults and drops pending settings', async () => {
    await redfishRequest(emulator, 'PATCH', `${bios}/Settings`, {
      body: { Attributes: { NicBoot2: 'NetworkBoot' } },
    });
    // sushy posts ResetBios without a body first.
    const res = await redfishRequest(emulator, 'POST', `${bios}/Actions/Bios.ResetBios`);
    expect(res.status).toBe(204);
    const state = emulator.system('4').state().bios;
    expect(state.attributes).toMatchObject({
      ProcTurboMode: 'Enabled',
      ProcCoreDisable: 0,
      UsbControl: 'UsbEnabled',
    });
    expect(state.pending).toEqual({});
    const withBody = await redfishRequest(emulator, 'POST', `${bios}/Actions/Bios.ResetBios`, {
      body: {},
    });
    expect(withBody.status).toBe(204);
  });
});

describe('SecureBoot', () => {
  const path = '/redfish/v1/Systems/2/SecureBoot';

  it('enables Secure Boot from the next boot on', async () => {
    const before = await redfishRequest(emulator, 'GET', path);
    expect(before.json).toMatchObject({
      SecureBootEnable: false,
      SecureBootCurrentBoot: 'Disabled',
      SecureBootMode: 'UserMode',
    });
    const patch = await redfishRequest(emulator, 'PATCH', path, {
      headers: { 'If-Match': before.headers.etag as string },
      body: { SecureBootEnable: true },
    });
    expect(patch.status).toBe(200);
    expect(patch.json).toMatchObject({ SecureBootEnable: true, SecureBootCurrentBoot: 'Disabled' });
    await reset('2', 'ForceRestart');
    expect(emulator.system('2').state().secureBoot).toEqual({
      enable: true,
      currentBoot: 'Enabled',
      mode: 'UserMode',
    });
    const readOnly = await redfishRequest(emulator, 'PATCH', path, {
      body: { SecureBootCurrentBoot: 'Disabled' },
    });
    expect(readOnly.status).toBe(400);
    expect(readOnly.json).toMatchObject({
      error: { code: expect.stringContaining('PropertyNotWritable') },
    });
  });

  it('ResetKeys deletes or restores the keys', async () => {
    const target = `${path}/Actions/SecureBoot.ResetKeys`;
    const deleted = await redfishRequest(emulator, 'POST', target, {
      body: { ResetKeysType: 'DeleteAllKeys' },
    });
    expect(deleted.status).toBe(204);
    expect(emulator.system('2').state().secureBoot.mode).toBe('SetupMode');
    await reset('2', 'ForceRestart');
    // Without a platform key, Secure Boot cannot be in force.
    expect(emulator.system('2').state().secureBoot.currentBoot).toBe('Disabled');
    await redfishRequest(emulator, 'POST', target, {
      body: { ResetKeysType: 'ResetAllKeysToDefault' },
    });
    expect(emulator.system('2').state().secureBoot.mode).toBe('UserMode');
    const bad = await redfishRequest(emulator, 'POST', target, {
      body: { ResetKeysType: 'Shred' },
    });
    expect(bad.status).toBe(400);
  });
});

describe('Chassis Power and Thermal', () => {
  interface Thermal {
    Fans: { Reading: number; ReadingUnits: string; MemberId: string }[];
    Temperatures: { ReadingCelsius: number; PhysicalContext: string }[];
  }
  interface Power {
    PowerSupplies: {
      LastPowerOutputWatts: number;
      LineInputVoltage: number;
      PowerCapacityWatts: number;
    }[];
  }

  it('reports fans, temperatures and power supplies that follow the power state', async () => {
    const chassis = (await redfishRequest(emulator, 'GET', '/redfish/v1/Chassis/1')).json;
    expect(chassis).toMatchObject({
      UUID: emulator.system('1').uuid,
      Power: { '@odata.id': '/redfish/v1/Chassis/1/Power' },
      Thermal: { '@odata.id': '/redfish/v1/Chassis/1/Thermal' },
    });
    await reset('1', 'ForceOff');
    const coldThermal = (await redfishRequest(emulator, 'GET', '/redfish/v1/Chassis/1/Thermal'))
      .json as Thermal;
    const coldPower = (await redfishRequest(emulator, 'GET', '/redfish/v1/Chassis/1/Power'))
      .json as Power;
    await reset('1', 'On');
    const hotThermal = (await redfishRequest(emulator, 'GET', '/redfish/v1/Chassis/1/Thermal'))
      .json as Thermal;
    const hotPower = (await redfishRequest(emulator, 'GET', '/redfish/v1/Chassis/1/Power'))
      .json as Power;

    expect(hotThermal.Fans.length).toBeGreaterThan(0);
    expect(hotThermal.Fans[0]).toMatchObject({ ReadingUnits: 'RPM', MemberId: '0' });
    expect(hotThermal.Fans[0]?.Reading).toBeGreaterThan(coldThermal.Fans[0]?.Reading ?? Infinity);
    const cpu = (t: Thermal): number =>
      t.Temperatures.find((x) => x.PhysicalContext === 'CPU')?.ReadingCelsius ?? NaN;
    expect(cpu(hotThermal)).toBeGreaterThan(cpu(coldThermal));
    expect(hotPower.PowerSupplies[0]).toMatchObject({
      LineInputVoltage: 230,
      PowerCapacityWatts: 800,
    });
    expect(hotPower.PowerSupplies[0]?.LastPowerOutputWatts).toBeGreaterThan(
      coldPower.PowerSupplies[0]?.LastPowerOutputWatts ?? Infinity,
    );
  });
});
