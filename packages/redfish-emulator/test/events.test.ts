import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedfishEmulator } from '../src/index';
import { redfishRequest, startRedfishFleet } from '../src/testing';

const SUBSCRIPTIONS = '/redfish/v1/EventService/Subscriptions';

let emulator: RedfishEmulator;

beforeAll(async () => {
  emulator = await startRedfishFleet(1);
});

afterAll(async () => {
  await emulator?.close();
});

describe('EventService subscriptions', () => {
  it('describes the service', async () => {
    const res = await redfishRequest(emulator, 'GET', '/redfish/v1/EventService');
    expect(res.json).toMatchObject({
      ServiceEnabled: true,
      Subscriptions: { '@odata.id': SUBSCRIPTIONS },
      Actions: { '#EventService.SubmitTestEvent': { target: expect.any(String) } },
    });
  });

  it('creates, lists, shows and deletes a subscription', async () => {
    const created = await redfishRequest(emulator, 'POST', SUBSCRIPTIONS, {
      body: {
        Destination: 'https://192.0.2.5/events',
        EventTypes: ['Alert', 'StatusChange'],
        Context: 'galvanic-node-1',
        Protocol: 'Redfish',
        HttpHeaders: [{ Authorization: 'Bearer hidden-token' }],
      },
    });
    expect(created.status).toBe(201);
    const location = created.headers.location as string;
    expect(location).toMatch(new RegExp(`^${SUBSCRIPTIONS}/\\w+$`));
    expect(created.json).toMatchObject({
      '@odata.id': location,
      Destination: 'https://192.0.2.5/events',
      Context: 'galvanic-node-1',
      EventTypes: ['Alert', 'StatusChange'],
      HttpHeaders: [],
    });
    expect(created.text).not.toContain('hidden-token');

    const list = await redfishRequest(emulator, 'GET', SUBSCRIPTIONS);
    expect(list.json).toMatchObject({
      'Members@odata.count': 1,
      Members: [{ '@odata.id': location }],
    });
    const shown = await redfishRequest(emulator, 'GET', location);
    expect(shown.status).toBe(200);
    expect(shown.text).not.toContain('hidden-token');
    expect(emulator.subscriptions()).toEqual([
      expect.objectContaining({
        destination: 'https://192.0.2.5/events',
        context: 'galvanic-node-1',
      }),
    ]);

    expect((await redfishRequest(emulator, 'DELETE', location)).status).toBe(204);
    expect((await redfishRequest(emulator, 'GET', location)).status).toBe(404);
    expect((await redfishRequest(emulator, 'DELETE', location)).status).toBe(404);
    expect(emulator.subscriptions()).toEqual([]);
  });

  it('refuses a subscription without a usable Destination or with bad values', async () => {
    const cases: [unknown, string][] = [
      [{ Context: 'x' }, 'CreateFailedMissingReqProperties'],
      [{ Destination: 'not a url' }, 'PropertyValueTypeError'],
      [{ Destination: 'http://a/', Protocol: 'SNMPv2c' }, 'PropertyValueNotInList'],
      [{ Destination: 'http://a/', EventTypes: ['Weather'] }, 'PropertyValueNotInList'],
      [{ Destination: 'http://a/', Colour: 'red' }, 'PropertyUnknown'],
    ];
    for (const [body, code] of cases) {
      const res = await redfishRequest(emulator, 'POST', SUBSCRIPTIONS, { body });
      expect(res.status, code).toBe(400);
      expect(res.json).toMatchObject({ error: { code: expect.stringContaining(code) } });
    }
    expect(emulator.subscriptions()).toEqual([]);
  });

  it('SubmitTestEvent posts the event to subscribers that want its type', async () => {
    const received: { headers: http.IncomingHttpHeaders; body: unknown }[] = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const port = (receiver.address() as AddressInfo).port;
      const wanted = await redfishRequest(emulator, 'POST', SUBSCRIPTIONS, {
        body: {
          Destination: `http://127.0.0.1:${port}/alerts`,
          EventTypes: ['Alert'],
          Context: 'ctx-alerts',
          HttpHeaders: [{ 'X-Secret': 'abc' }],
        },
      });
      const other = await redfishRequest(emulator, 'POST', SUBSCRIPTIONS, {
        body: { Destination: `http://127.0.0.1:${port}/status`, EventTypes: ['StatusChange'] },
      });
      const sent = await redfishRequest(
        emulator,
        'POST',
        '/redfish/v1/EventService/Actions/EventService.SubmitTestEvent',
        {
          body: {
            EventType: 'Alert',
            MessageId: 'Base.1.16.0.Success',
            OriginOfCondition: '/redfish/v1/Systems/1',
          },
        },
      );
      expect(sent.status).toBe(204);
      for (let i = 0; i < 200 && emulator.eventDeliveries().delivered < 1; i += 1) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(emulator.eventDeliveries()).toEqual({ delivered: 1, failed: 0 });
      expect(received).toHaveLength(1);
      expect(received[0]?.headers['x-secret']).toBe('abc');
      expect(received[0]?.body).toMatchObject({
        Context: 'ctx-alerts',
        Events: [
          {
            EventType: 'Alert',
            MessageId: 'Base.1.16.0.Success',
            OriginOfCondition: { '@odata.id': '/redfish/v1/Systems/1' },
          },
        ],
      });
      await redfishRequest(emulator, 'DELETE', wanted.headers.location as string);
      await redfishRequest(emulator, 'DELETE', other.headers.location as string);
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
