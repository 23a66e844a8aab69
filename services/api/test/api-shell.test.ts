import { CONDUCTOR_CONTRACT_VERSION } from '@galvanic/conductor-api';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { Registry } from 'prom-client';
import {
  AllocationStore,
  BiosSettingStore,
  NodeHistoryStore,
  FirmwareComponentStore,
  DeployTemplateStore,
  NodeInventoryStore,
  RunbookStore,
  InspectionRuleStore,
  ChassisStore,
  ConductorStore,
  createDataSource,
  migrate,
  NodeStore,
  PortgroupStore,
  PortStore,
  VolumeConnectorStore,
  VolumeTargetStore,
} from '@galvanic/db';
import { silentLogger } from '@galvanic/logging';
import {
  createTestDatabase,
  innerError,
  loadSample,
  replaySample,
  sendHttp,
  type Sample,
  type TestDatabase,
} from '@galvanic/testing';
import { ConductorDirectory } from '@galvanic/cluster';
import { InProcessTransport, RpcClient } from '@galvanic/rpc';
import { createApp } from '../src/app';
import { formatVersion, MAX_VERSION } from '../src/http/microversion';
import { READINESS_CACHE_MS } from '../src/controllers/health';

const IRONIC_HOST = { Host: '127.0.0.1:6385' };
const MAX = { ...IRONIC_HOST, 'X-OpenStack-Ironic-API-Version': '1.82' };
/** The maximum the samples were recorded at (Ironic 21.4), and the one Galvanic announces. */
const RECORDED_MAX = '1.82';
const OUR_MAX = formatVersion(MAX_VERSION);

/**
 * A sample as it reads against Galvanic's announced maximum: the recorded maximum becomes ours,
 * and a request made above the recorded maximum is made above ours.
 */
function atOurMaximum(sample: Sample): Sample {
  const above = `1.${MAX_VERSION.minor + 1}`;
  const requested = sample.request.headers['X-OpenStack-Ironic-API-Version'];
  const isAbove =
    requested !== undefined &&
    /^1\.\d+$/.test(requested) &&
    Number(requested.slice(2)) > Number(RECORDED_MAX.slice(2));
  let text = JSON.stringify(sample).replaceAll(RECORDED_MAX, OUR_MAX);
  if (isAbove) text = text.replaceAll(requested, above);
  return JSON.parse(text) as Sample;
}

describe("Ironic's API shell", () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let server: Server;
  let base: string;
  let ready = true;
  let readinessRuns = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = createDataSource({ url: database.url });
    await dataSource.initialize();
    await migrate(dataSource);
    const store = new ConductorStore(dataSource, 60);
    await store.register({
      hostname: 'c1',
      conductorGroup: '',
      hardwareTypes: ['fake-hardware'],
      contractVersion: '1.0',
      interfaces: [],
    });
    await store.register({
      hostname: 'c2',
      conductorGroup: 'rack2',
      hardwareTypes: ['ipmi'],
      contractVersion: '1.0',
      interfaces: [],
    });
    await store.unregister('c2');
    const app = createApp({
      logger: silentLogger(),
      conductors: store,
      nodes: new NodeStore(dataSource),
      ports: new PortStore(dataSource),
      portgroups: new PortgroupStore(dataSource),
      volumeConnectors: new VolumeConnectorStore(dataSource),
      volumeTargets: new VolumeTargetStore(dataSource),
      chassis: new ChassisStore(dataSource),
      biosSettings: new BiosSettingStore(dataSource),
      history: new NodeHistoryStore(dataSource),
      firmware: new FirmwareComponentStore(dataSource),
      allocations: new AllocationStore(dataSource),
      deployTemplates: new DeployTemplateStore(dataSource),
      inventories: new NodeInventoryStore(dataSource),
      runbooks: new RunbookStore(dataSource),
      inspectionRules: new InspectionRuleStore(dataSource),
      reservations: async () => new Map(),
      directory: new ConductorDirectory(store, 60_000, silentLogger(), CONDUCTOR_CONTRACT_VERSION),
      rpc: new RpcClient({
        transport: new InProcessTransport().client(),
        caller: 'test',
        logger: silentLogger(),
        contractVersion: CONDUCTOR_CONTRACT_VERSION,
      }),
      registry: new Registry(),
      maxRequestBodySize: 1024,
      linkHosts: { allowedHosts: ['.galvanic.example'] },
      readiness: [
        {
          name: 'conductor',
          check: async () => {
            readinessRuns += 1;
            await new Promise((resolve) => setTimeout(resolve, 20));
            if (!ready) throw new Error('no conductor answered');
          },
        },
      ],
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  describe('matches the recorded samples', () => {
    /** The samples were recorded with 1.82 as the maximum; the served maximum stands for it. */
    const RECORDED_MAX = '1.82';
    const servedMax = formatVersion(MAX_VERSION);
    const atServedMax = (body: unknown): unknown =>
      JSON.parse(
        JSON.stringify(body)
          .replaceAll(`"version":"${RECORDED_MAX}"`, `"version":"${servedMax}"`)
          .replaceAll(`[1.1, ${RECORDED_MAX}]`, `[1.1, ${servedMax}]`),
      );
    const headerAtServedMax = (value: string | undefined) =>
      value === RECORDED_MAX ? servedMax : value;
    const exact = [
      '01-get-root.json',
      '02-get-root-maxver.json',
      '03-get-v1.json',
      '04-get-v1-maxver.json',
      '05-get-v1-slash-maxver.json',
      '06-get-v1-unsupported-version.json',
      '07-get-v1-latest.json',
      '08-get-v1-bad-version-string.json',
      '63-put-nodes-collection.json',
      '64-delete-drivers.json',
    ];
    it.each(exact)('%s', async (name) => {
      const sample = atOurMaximum(loadSample(name));
      const result = await replaySample(base, sample);
      expect(result.status).toBe(sample.response.status);
      expect(result.body).toEqual(atServedMax(sample.response.body));
      const requested = sample.request.headers['X-OpenStack-Ironic-API-Version'];
      for (const header of [
        'X-Openstack-Ironic-Api-Minimum-Version',
        'X-Openstack-Ironic-Api-Maximum-Version',
        'X-Openstack-Ironic-Api-Version',
        'Allow',
      ]) {
        const recorded = sample.response.headers[header];
        const expected =
          header.endsWith('Maximum-Version') ||
          (header.endsWith('Api-Version') && requested === 'latest')
            ? headerAtServedMax(recorded)
            : recorded;
        expect(result.headers[header.toLowerCase()], header).toBe(expected);
      }
      if (sample.response.headers['Openstack-Request-Id']) {
        expect(result.headers['openstack-request-id']).toMatch(/^req-[0-9a-f-]{36}$/);
      }
      expect(result.headers['content-type']).toMatch(/^application\/json/);
    });
  });

  it('gives every response its own request id', async () => {
    const a = await sendHttp(base, 'GET', '/v1');
    const b = await sendHttp(base, 'GET', '/v1');
    expect(a.headers['openstack-request-id']).not.toBe(b.headers['openstack-request-id']);
  });

  it('refuses a major version other than 1', async () => {
    const result = await sendHttp(base, 'GET', '/v1', { 'X-OpenStack-Ironic-API-Version': '2.1' });
    expect(result.status).toBe(406);
    expect(innerError(result.body).faultstring).toBe(
      `Version 2.1 was requested but the major version is not supported by this service. The supported version range is: [1.1, ${OUR_MAX}].`,
    );
  });

  it('answers 404 in Ironic form for unknown paths', async () => {
    const result = await sendHttp(base, 'GET', '/v1/no-such-thing', MAX);
    expect(result.status).toBe(404);
    expect(innerError(result.body)).toMatchObject({ code: 404, title: 'Not Found' });
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const sample = loadSample('68-post-node-bad-json.json');
    const result = await sendHttp(
      base,
      'POST',
      '/v1/conductors',
      { ...MAX, 'Content-Type': 'application/json' },
      String(sample.request.body),
    );
    expect(result.status).toBe(400);
    expect(innerError(result.body)).toMatchObject({ faultcode: 'Client' });
    expect(String(innerError(result.body).faultstring)).toMatch(/^Malformed JSON body/);
  });

  it('answers a body over the limit with 413', async () => {
    const result = await sendHttp(
      base,
      'POST',
      '/v1/conductors',
      { ...MAX, 'Content-Type': 'application/json' },
      JSON.stringify({ x: 'y'.repeat(2000) }),
    );
    expect(result.status).toBe(413);
    expect(innerError(result.body).faultstring).toBe(
      'Request is too large. The maximum allowed request body size is 1024 bytes.',
    );
  });

  describe('request guards', () => {
    const nodeBody = JSON.stringify({ driver: 'fake-hardware', name: 'cross-site' });

    it.each([
      ['text/plain', 'text/plain'],
      ['a form encoding', 'application/x-www-form-urlencoded'],
      ['multipart', 'multipart/form-data; boundary=x'],
    ])(
      'refuses a body sent as %s (a cross-site form can send it) with 415 and creates nothing',
      async (_what, type) => {
        const result = await sendHttp(
          base,
          'POST',
          '/v1/nodes',
          { ...MAX, 'Content-Type': type },
          nodeBody,
        );
        expect(result.status).toBe(415);
        expect(innerError(result.body)).toMatchObject({ faultcode: 'Client' });
        expect(String(innerError(result.body).faultstring)).toMatch(/application\/json/);
        const listed = await sendHttp(base, 'GET', '/v1/nodes', MAX);
        expect(listed.body).toEqual({ nodes: [] });
      },
    );

    it('refuses a POST with no Content-Type, even without a body', async () => {
      const result = await sendHttp(base, 'POST', '/v1/nodes/n1/vendor_passthru?method=m', MAX);
      expect(result.status).toBe(415);
    });

    it('takes application/json with parameters', async () => {
      const result = await sendHttp(
        base,
        'POST',
        '/v1/conductors',
        { ...MAX, 'Content-Type': 'Application/JSON; charset=utf-8' },
        '{}',
      );
      expect(result.status).toBe(405);
    });

    it('builds links from a Host header only when it names this server', async () => {
      const port = new URL(base).port;
      const href = async (host: string) => {
        const result = await sendHttp(base, 'GET', '/v1/conductors/c1', { ...MAX, Host: host });
        return (result.body as { links: { href: string }[] }).links[0]!.href;
      };
      expect(await href('evil.example')).toBe(`http://127.0.0.1:${port}/v1/conductors/c1`);
      expect(await href('evil.example:6385')).toBe(`http://127.0.0.1:${port}/v1/conductors/c1`);
      expect(await href('x"><script>')).toBe(`http://127.0.0.1:${port}/v1/conductors/c1`);
      expect(await href('localhost:9')).toBe('http://localhost:9/v1/conductors/c1');
      expect(await href('api.galvanic.example')).toBe(
        'http://api.galvanic.example/v1/conductors/c1',
      );
      expect(await href('galvanic.example.evil')).toBe(`http://127.0.0.1:${port}/v1/conductors/c1`);
    });
  });

  describe('/v1/conductors', () => {
    it('is not there before microversion 1.49', async () => {
      const result = await sendHttp(base, 'GET', '/v1/conductors', {
        'X-OpenStack-Ironic-API-Version': '1.48',
      });
      expect(result.status).toBe(404);
    });

    it('lists live and dead conductors with the default fields', async () => {
      const result = await sendHttp(base, 'GET', '/v1/conductors', MAX);
      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        conductors: [
          {
            hostname: 'c1',
            conductor_group: '',
            alive: true,
            links: [
              { href: 'http://127.0.0.1:6385/v1/conductors/c1', rel: 'self' },
              { href: 'http://127.0.0.1:6385/conductors/c1', rel: 'bookmark' },
            ],
          },
          expect.objectContaining({ hostname: 'c2', conductor_group: 'rack2', alive: false }),
        ],
      });
    });

    it('shows details, paginates and selects fields', async () => {
      const detail = await sendHttp(base, 'GET', '/v1/conductors?detail=true', MAX);
      const first = (detail.body as { conductors: Record<string, unknown>[] }).conductors[0]!;
      expect(first.drivers).toEqual(['fake-hardware']);
      expect(first.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
      const page = await sendHttp(base, 'GET', '/v1/conductors?limit=1', MAX);
      expect((page.body as { conductors: unknown[] }).conductors).toHaveLength(1);
      expect((page.body as { next: string }).next).toBe(
        'http://127.0.0.1:6385/v1/conductors?limit=1&marker=c1',
      );
      const next = await sendHttp(base, 'GET', '/v1/conductors?limit=1&marker=c1', MAX);
      expect((next.body as { conductors: { hostname: string }[] }).conductors[0]!.hostname).toBe(
        'c2',
      );
      const fields = await sendHttp(base, 'GET', '/v1/conductors?fields=hostname', MAX);
      expect((fields.body as { conductors: Record<string, unknown>[] }).conductors[0]).toEqual({
        hostname: 'c1',
        links: expect.any(Array),
      });
      const bad = await sendHttp(base, 'GET', '/v1/conductors?limit=-1', MAX);
      expect(bad.status).toBe(400);
      expect(innerError(bad.body).faultstring).toBe('Limit must be positive');
    });

    it('shows one conductor, and 404s an unknown one', async () => {
      const one = await sendHttp(base, 'GET', '/v1/conductors/c2', MAX);
      expect(one.body).toMatchObject({
        hostname: 'c2',
        alive: false,
        drivers: ['ipmi'],
        conductor_group: 'rack2',
      });
      const missing = await sendHttp(base, 'GET', '/v1/conductors/nope', MAX);
      expect(missing.status).toBe(404);
      expect(innerError(missing.body).faultstring).toBe('Conductor nope could not be found.');
    });
  });

  describe('health', () => {
    it('/healthz answers while the process is up', async () => {
      expect((await sendHttp(base, 'GET', '/healthz')).status).toBe(200);
    });

    it('/readyz follows the readiness checks, running them at most once a second for any number of probes', async () => {
      await new Promise((resolve) => setTimeout(resolve, READINESS_CACHE_MS));
      const runsBefore = readinessRuns;
      const probes = await Promise.all(
        Array.from({ length: 20 }, () => sendHttp(base, 'GET', '/readyz')),
      );
      expect(probes.map((probe) => probe.status)).toEqual(Array(20).fill(200));
      expect(readinessRuns - runsBefore).toBe(1);

      ready = false;
      await new Promise((resolve) => setTimeout(resolve, READINESS_CACHE_MS));
      const result = await sendHttp(base, 'GET', '/readyz');
      ready = true;
      expect(result.status).toBe(503);
      // Why it failed is logged; an anonymous prober learns only which check failed.
      expect(result.body).toEqual({
        status: 'not ready',
        checks: [{ name: 'conductor', ok: false }],
      });
    });

    it('/metrics counts requests', async () => {
      const result = await sendHttp(base, 'GET', '/metrics');
      expect(result.text).toMatch(
        /galvanic_api_requests_total\{method="GET",route="\/v1\/conductors\/",status="200"\}/,
      );
    });
  });
});
