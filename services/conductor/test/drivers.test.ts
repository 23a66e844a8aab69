import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  innerError,
  loadSample,
  REPO_ROOT,
  replaySample,
  sendHttp,
  startSplitMode,
  baremetal,
  type ServiceProcess,
  type SplitMode,
} from '@galvanic/testing';

const runFile = promisify(execFile);

describe('driver APIs with two conductors that enable different drivers', () => {
  let cluster: SplitMode;
  let c2: ServiceProcess;
  let apiUrl: string;

  const cli = (...args: string[]) => baremetal(apiUrl, ...args);
  const start = (entry: string, extra: Record<string, string>) => cluster.start(entry, extra);

  beforeAll(async () => {
    cluster = await startSplitMode({
      // The third-party example, installed beside Galvanic (a root dependency here) and enabled
      // by configuration alone: naming its package and enabling its hardware type.
      conductorEnv: (host): Record<string, string> =>
        host === 'c2'
          ? {
              GALVANIC_DEFAULT__DRIVER_PACKAGES: 'acme-galvanic-driver',
              GALVANIC_DEFAULT__ENABLED_HARDWARE_TYPES: 'fake-hardware,acme-hardware',
            }
          : {},
    });
    apiUrl = cluster.apiUrl;
    c2 = cluster.conductors.get('c2')!;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('baremetal driver list shows each hardware type with exactly its hosts', async () => {
    expect(await cli('driver', 'list')).toEqual([
      { 'Supported driver(s)': 'acme-hardware', 'Active host(s)': 'c2' },
      { 'Supported driver(s)': 'fake-hardware', 'Active host(s)': 'c1, c2' },
      { 'Supported driver(s)': 'ipmi', 'Active host(s)': 'c1' },
      { 'Supported driver(s)': 'manual-management', 'Active host(s)': 'c1' },
      { 'Supported driver(s)': 'redfish', 'Active host(s)': 'c1' },
    ]);
  });

  it('baremetal driver show fake-hardware gives defaults and enabled interfaces as Ironic does', async () => {
    const shown = (await cli('driver', 'show', 'fake-hardware')) as Record<string, unknown>;
    const recorded = loadSample('16-get-driver-fake-hardware-maxver.json').response.body as Record<
      string,
      unknown
    >;
    for (const [field, value] of Object.entries(recorded)) {
      if (field.startsWith('default_')) expect(shown[field], field).toEqual(value);
    }
    // The CLI prints lists joined by commas.
    expect(shown).toMatchObject({ name: 'fake-hardware', hosts: 'c1, c2', type: 'dynamic' });
    expect(shown.enabled_power_interfaces).toBe('fake');
    expect(shown.enabled_storage_interfaces).toBe('noop, fake');
  });

  it('baremetal driver property list reads like Ironic', async () => {
    expect(await cli('driver', 'property', 'list', 'fake-hardware')).toEqual([
      { Property: 'B1', Description: 'B1 description. Required.' },
      { Property: 'B2', Description: 'B2 description. Required.' },
    ]);
    const acme = (await cli('driver', 'property', 'list', 'acme-hardware')) as {
      Property: string;
    }[];
    expect(acme.map((row) => row.Property)).toEqual(
      expect.arrayContaining(['acme_address', 'acme_chassis_id']),
    );
  });

  it('galvanic drivers available lists the installed third-party package once it is configured', async () => {
    const list = async (extraEnv: Record<string, string>) => {
      const { stdout } = await runFile(
        process.execPath,
        ['--import', 'tsx', 'services/conductor/src/cli.ts', 'drivers', 'available', '--json'],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, ...extraEnv },
        },
      );
      return (JSON.parse(stdout) as { kind: string; name: string; package: string }[]).map(
        (row) => `${row.kind}:${row.name}:${row.package}`,
      );
    };
    const withAcme = await list({ GALVANIC_DEFAULT__DRIVER_PACKAGES: 'acme-galvanic-driver' });
    expect(withAcme).toEqual(
      expect.arrayContaining([
        'hardware type:acme-hardware:acme-galvanic-driver',
        'power interface:acme:acme-galvanic-driver',
        'hardware type:manual-management:@galvanic/driver-generic',
      ]),
    );
    expect(withAcme.some((row) => row.includes(':fake'))).toBe(false);
    expect(await list({})).not.toContain('hardware type:acme-hardware:acme-galvanic-driver');
  });

  it('the third-party driver lists its driver-level vendor methods', async () => {
    const methods = (await cli('driver', 'passthru', 'list', 'acme-hardware')) as Record<
      string,
      unknown
    >[];
    expect(methods.length).toBeGreaterThan(0);
  });

  describe('matches the recorded samples', () => {
    it.each([
      '13-get-drivers-detail-nover.json',
      '17-get-driver-not-found.json',
      '19-get-driver-fake-hardware-properties.json',
      '20-get-driver-fake-hardware-vendor-methods.json',
      '64-delete-drivers.json',
    ])('%s', async (name) => {
      const sample = loadSample(name);
      const result = await replaySample(apiUrl, sample);
      expect(result.status).toBe(sample.response.status);
      expect(result.body).toEqual(sample.response.body);
    });

    it.each([
      '10-get-drivers.json',
      '11-get-drivers-maxver.json',
      '14-get-drivers-type-dynamic.json',
    ])('%s: the fake-hardware entry has the recorded shape', async (name) => {
      const sample = loadSample(name);
      const result = await replaySample(apiUrl, sample);
      expect(result.status).toBe(200);
      const pick = (body: unknown) =>
        (body as { drivers: Record<string, unknown>[] }).drivers.find(
          (d) => d.name === 'fake-hardware',
        )!;
      const ours = pick(result.body);
      const recorded = pick(sample.response.body);
      expect(Object.keys(ours).sort()).toEqual(Object.keys(recorded).sort());
      expect({ ...ours, hosts: [] }).toEqual({ ...recorded, hosts: [] });
    });

    it.each([
      '15-get-driver-fake-hardware.json',
      '16-get-driver-fake-hardware-maxver.json',
      '12-get-drivers-detail-maxver.json',
    ])('%s: the same fields as recorded', async (name) => {
      const sample = loadSample(name);
      const result = await replaySample(apiUrl, sample);
      expect(result.status).toBe(200);
      const entry = (body: unknown) =>
        'drivers' in (body as object)
          ? (body as { drivers: Record<string, unknown>[] }).drivers.find(
              (d) => d.name === 'fake-hardware',
            )!
          : (body as Record<string, unknown>);
      expect(Object.keys(entry(result.body)).sort()).toEqual(
        Object.keys(entry(sample.response.body)).sort(),
      );
    });
  });

  it('refuses an invalid type filter', async () => {
    const result = await sendHttp(apiUrl, 'GET', '/v1/drivers?type=weird', {
      'X-OpenStack-Ironic-API-Version': '1.82',
    });
    expect(result.status).toBe(400);
    expect(String(innerError(result.body).faultstring)).toMatch(/type/);
  });

  it('a conductor that refuses to start names the unknown hardware type', async () => {
    const bad = start('services/conductor/src/main.ts', {
      GALVANIC_DEFAULT__HOST: 'bad',
      GALVANIC_DEFAULT__ENABLED_HARDWARE_TYPES: 'fake-hardware,no-such-hardware',
    });
    expect(await bad.exited()).toBe(1);
    expect(bad.output()).toMatch(
      /hardware type no-such-hardware could not be loaded\. Reason: \[DEFAULT\] enabled_hardware_types names it/,
    );
  });

  it('when a conductor stops, its hardware types and host leave the list', async () => {
    c2.kill('SIGTERM');
    expect(await c2.exited()).toBe(0);
    expect(await cli('driver', 'list')).toEqual([
      { 'Supported driver(s)': 'fake-hardware', 'Active host(s)': 'c1' },
      { 'Supported driver(s)': 'ipmi', 'Active host(s)': 'c1' },
      { 'Supported driver(s)': 'manual-management', 'Active host(s)': 'c1' },
      { 'Supported driver(s)': 'redfish', 'Active host(s)': 'c1' },
    ]);
  });
});
