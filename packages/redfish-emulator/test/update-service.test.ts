import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedfishEmulator } from '../src/index';
import { redfishRequest, startRedfishFleet } from '../src/testing';

const SIMPLE_UPDATE = '/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate';

let emulator: RedfishEmulator;

beforeAll(async () => {
  emulator = await startRedfishFleet(2, { asyncActions: { actions: [], durationMs: 300 } });
});

afterAll(async () => {
  await emulator?.close();
});

async function finish(monitor: string): Promise<number> {
  for (let i = 0; i < 300; i += 1) {
    const res = await redfishRequest(emulator, 'GET', monitor);
    if (res.status !== 202) return res.status;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('update never finished');
}

describe('UpdateService', () => {
  it('lists each BIOS and BMC firmware with its version', async () => {
    const service = (await redfishRequest(emulator, 'GET', '/redfish/v1/UpdateService')).json;
    expect(service).toMatchObject({
      FirmwareInventory: { '@odata.id': '/redfish/v1/UpdateService/FirmwareInventory' },
      Actions: { '#UpdateService.SimpleUpdate': { target: SIMPLE_UPDATE } },
    });
    const inventory = (
      await redfishRequest(emulator, 'GET', '/redfish/v1/UpdateService/FirmwareInventory')
    ).json;
    expect(inventory).toMatchObject({ 'Members@odata.count': 4 });
    const bios = await redfishRequest(
      emulator,
      'GET',
      '/redfish/v1/UpdateService/FirmwareInventory/BIOS-1',
    );
    expect(bios.json).toMatchObject({
      Version: '2.4.1',
      Updateable: true,
      RelatedItem: [{ '@odata.id': '/redfish/v1/Systems/1' }],
    });
  });

  it('SimpleUpdate of BMC firmware is a task; the version changes when it ends', async () => {
    const res = await redfishRequest(emulator, 'POST', SIMPLE_UPDATE, {
      body: {
        ImageURI: 'http://192.0.2.1/fw/bmc-firmware-1.2.3.bin',
        TransferProtocol: 'HTTP',
        Targets: ['/redfish/v1/Managers/2'],
      },
    });
    expect(res.status).toBe(202);
    expect(res.headers.location).toMatch(/^\/redfish\/v1\/TaskService\/TaskMonitors\//);
    expect(emulator.system('2').state().firmware.bmc).toBe('1.0.0');
    expect(await finish(res.headers.location as string)).toBe(204);
    expect(emulator.system('2').state().firmware.bmc).toBe('1.2.3');
    expect(emulator.system('1').state().firmware.bmc).toBe('1.0.0');
    const manager = (await redfishRequest(emulator, 'GET', '/redfish/v1/Managers/2')).json;
    expect(manager).toMatchObject({ FirmwareVersion: '1.2.3' });
  });

  it('a BIOS image is flashed at the next boot', async () => {
    const res = await redfishRequest(emulator, 'POST', SIMPLE_UPDATE, {
      body: {
        ImageURI: 'https://192.0.2.1/fw/BIOS_2.5.0.exe',
        Targets: ['/redfish/v1/UpdateService/FirmwareInventory/BIOS-1'],
      },
    });
    expect(await finish(res.headers.location as string)).toBe(204);
    expect(emulator.system('1').state().firmware).toMatchObject({
      bios: '2.4.1',
      pendingBios: '2.5.0',
    });
    await redfishRequest(emulator, 'POST', '/redfish/v1/Systems/1/Actions/ComputerSystem.Reset', {
      body: { ResetType: 'On' },
    });
    const system = (await redfishRequest(emulator, 'GET', '/redfish/v1/Systems/1')).json;
    expect(system).toMatchObject({ BiosVersion: '2.5.0' });
    expect(emulator.system('2').state().firmware.bios).toBe('2.4.1');
  });

  it('refuses a missing ImageURI, an unknown target or protocol at once', async () => {
    const cases: [unknown, string][] = [
      [{}, 'ActionParameterMissing'],
      [
        { ImageURI: 'http://a/x.bin', Targets: ['/redfish/v1/Systems/9'] },
        'ActionParameterValueNotInList',
      ],
      [{ ImageURI: 'http://a/x.bin', TransferProtocol: 'GOPHER' }, 'ActionParameterValueNotInList'],
      [{ ImageURI: 'nope' }, 'ActionParameterValueFormatError'],
    ];
    for (const [body, code] of cases) {
      const res = await redfishRequest(emulator, 'POST', SIMPLE_UPDATE, { body });
      expect(res.status, code).toBe(400);
      expect(res.json).toMatchObject({ error: { code: expect.stringContaining(code) } });
    }
  });
});
