import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedfishEmulator } from '../src/index';
import { redfishRequest, startRedfishFleet } from '../src/testing';

let emulator: RedfishEmulator;

beforeAll(async () => {
  emulator = await startRedfishFleet(1);
});

afterAll(async () => {
  await emulator?.close();
});

interface Manager {
  DateTime: string;
  DateTimeLocalOffset: string;
}

describe('Manager clock', () => {
  it('shows DateTime to the second in its offset; the ETag does not follow the clock', async () => {
    const first = await redfishRequest(emulator, 'GET', '/redfish/v1/Managers/1');
    const body = first.json as Manager;
    expect(body.DateTimeLocalOffset).toBe('+00:00');
    expect(body.DateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    expect(Math.abs(Date.parse(body.DateTime) - Date.now())).toBeLessThan(60_000);
    await new Promise((r) => setTimeout(r, 1100));
    const later = await redfishRequest(emulator, 'GET', '/redfish/v1/Managers/1');
    expect((later.json as Manager).DateTime).not.toBe(body.DateTime);
    expect(later.headers.etag).toBe(first.headers.etag);
  });

  it('sets the clock and its offset by PATCH, honouring If-Match', async () => {
    const before = await redfishRequest(emulator, 'GET', '/redfish/v1/Managers/1');
    const target = '2031-05-06T07:08:09+00:00';
    const res = await redfishRequest(emulator, 'PATCH', '/redfish/v1/Managers/1', {
      headers: { 'If-Match': before.headers.etag as string },
      body: { DateTime: target },
    });
    expect(res.status).toBe(200);
    expect(Math.abs(Date.parse((res.json as Manager).DateTime) - Date.parse(target))).toBeLessThan(
      5000,
    );

    const offset = await redfishRequest(emulator, 'PATCH', '/redfish/v1/Managers/1', {
      body: { DateTimeLocalOffset: '+02:00' },
    });
    const shown = (offset.json as Manager).DateTime;
    expect(shown).toMatch(/\+02:00$/);
    expect(Math.abs(Date.parse(shown) - Date.parse(target))).toBeLessThan(5000);

    const stale = await redfishRequest(emulator, 'PATCH', '/redfish/v1/Managers/1', {
      headers: { 'If-Match': before.headers.etag as string },
      body: { DateTimeLocalOffset: '+00:00' },
    });
    expect(stale.status).toBe(412);
    const bad = await redfishRequest(emulator, 'PATCH', '/redfish/v1/Managers/1', {
      body: { DateTime: 'yesterday' },
    });
    expect(bad.status).toBe(400);
    const readOnly = await redfishRequest(emulator, 'PATCH', '/redfish/v1/Managers/1', {
      body: { FirmwareVersion: '9' },
    });
    expect(readOnly.json).toMatchObject({
      error: { code: expect.stringContaining('PropertyNotWritable') },
    });
  });
});
