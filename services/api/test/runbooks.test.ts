import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInProcess,
  innerError,
  ironicLinks,
  IRONIC_TIMESTAMP,
  type HttpResult,
  type InProcessEnvironment,
} from '@galvanic/testing';
import { FakeNodeLifecycle, TO_ACTIVE } from './fake-node-lifecycle';

type Runbook = Record<string, unknown> & { uuid: string; name: string };

const BIOS_STEP = {
  interface: 'bios',
  step: 'apply_configuration',
  args: { settings: [{ name: 'boot_mode', value: 'uefi' }] },
  order: 1,
};
const LOG_STEP = {
  interface: 'vendor',
  step: 'log_passthrough',
  args: { by: 'runbook' },
  order: 0,
};

describe("Ironic's runbooks: 1.92 CRUD and use by clean/service, 1.112 traits (in-process)", () => {
  let env: InProcessEnvironment;
  let base: string;
  const nodes = new FakeNodeLifecycle(() => base, 92);
  const call = nodes.call.bind(nodes);
  const fault = (result: HttpResult) => innerError(result.body).faultstring;
  const create = async (body: Record<string, unknown>, minor = 92): Promise<Runbook> => {
    const result = await call('POST', '/v1/runbooks', { body, minor });
    expect(result.status, result.text).toBe(201);
    return result.body as Runbook;
  };
  const nodeOf = (name: string) => nodes.node(name);
  const settles = (name: string, state: string) => nodes.settles(name, state);
  const provision = (name: string, body: Record<string, unknown>, minor = 92) =>
    nodes.provision(name, body, minor);
  const setNodeTraits = async (name: string, traits: string[]) => {
    const set = await call('PUT', `/v1/nodes/${name}/traits`, { body: { traits } });
    expect(set.status, set.text).toBe(204);
  };
  const nodeIn = (name: string, path: readonly (readonly [string, string])[]) =>
    nodes.create(name, path);

  beforeAll(async () => {
    env = await createInProcess({ database: 'shared' });
    base = env.apiUrl;
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  it('does not exist below 1.92: 404 for reads, 405 for writes', async () => {
    const read = await call('GET', '/v1/runbooks', { minor: 91 });
    expect(read.status).toBe(404);
    expect(fault(read)).toBe('The API version does not allow runbooks');
    const write = await call('POST', '/v1/runbooks', {
      minor: 91,
      body: { name: 'CUSTOM_X', steps: [LOG_STEP] },
    });
    expect(write.status).toBe(405);
  });

  it('creates, shows, lists, patches and deletes a runbook, by UUID or name', async () => {
    const uuid = randomUUID();
    const created = await create({
      uuid,
      name: 'CUSTOM_BIOS_UEFI',
      steps: [{ ...BIOS_STEP, order: '1' }],
      extra: { team: 'ops' },
    });
    expect(created).toEqual({
      uuid,
      name: 'CUSTOM_BIOS_UEFI',
      steps: [BIOS_STEP],
      disable_ramdisk: false,
      public: false,
      owner: null,
      extra: { team: 'ops' },
      created_at: expect.stringMatching(IRONIC_TIMESTAMP),
      updated_at: null,
      links: ironicLinks(base, `runbooks/${uuid}`),
    });
    expect((await call('GET', '/v1/runbooks/CUSTOM_BIOS_UEFI')).body).toEqual(created);
    const listed = (await call('GET', '/v1/runbooks')).body as { runbooks: Runbook[] };
    expect(listed.runbooks).toContainEqual({
      uuid,
      name: 'CUSTOM_BIOS_UEFI',
      links: ironicLinks(base, `runbooks/${uuid}`),
    });
    const detailed = (await call('GET', '/v1/runbooks?detail=true')).body as {
      runbooks: Runbook[];
    };
    expect(detailed.runbooks).toContainEqual(created);
    const some = await call('GET', `/v1/runbooks/${uuid}?fields=name,disable_ramdisk`);
    expect(some.body).toEqual({
      name: 'CUSTOM_BIOS_UEFI',
      disable_ramdisk: false,
      links: ironicLinks(base, `runbooks/${uuid}`),
    });
    const newer = await call('GET', `/v1/runbooks/${uuid}?fields=traits`);
    expect(newer.status).toBe(406);

    const patched = await call('PATCH', `/v1/runbooks/${uuid}`, {
      body: [
        { op: 'replace', path: '/public', value: true },
        { op: 'replace', path: '/disable_ramdisk', value: true },
        { op: 'add', path: '/extra/reviewed', value: 'yes' },
        { op: 'replace', path: '/steps/0/order', value: 5 },
      ],
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({
      public: true,
      disable_ramdisk: true,
      extra: { team: 'ops', reviewed: 'yes' },
      steps: [{ ...BIOS_STEP, order: 5 }],
      updated_at: expect.stringMatching(IRONIC_TIMESTAMP),
    });
    const description = await call('PATCH', `/v1/runbooks/${uuid}`, {
      body: [{ op: 'add', path: '/description', value: 'not yet' }],
    });
    expect(description.status).toBe(406);

    expect((await call('DELETE', '/v1/runbooks/CUSTOM_BIOS_UEFI')).status).toBe(204);
    const gone = await call('GET', `/v1/runbooks/${uuid}`);
    expect(gone.status).toBe(404);
    expect(fault(gone)).toBe(`Runbook ${uuid} could not be found.`);
  });

  it('refuses bad runbooks in Ironic words', async () => {
    const bad = async (body: unknown, status = 400) => {
      const result = await call('POST', '/v1/runbooks', { body });
      expect(result.status, result.text).toBe(status);
      return fault(result);
    };
    expect(await bad({ name: 'not-a-trait', steps: [LOG_STEP] })).toBe(
      "Schema error for runbook: 'not-a-trait' is not valid under any of the given schemas",
    );
    expect(await bad({ name: 'CUSTOM_A' })).toBe(
      "Schema error for runbook: 'steps' is a required property",
    );
    expect(await bad({ name: 'CUSTOM_A', steps: [{ interface: 'vendor', step: 'x' }] })).toBe(
      "Schema error for runbook: 'order' is a required property",
    );
    expect(await bad({ name: 'CUSTOM_A', steps: [{ ...LOG_STEP, priority: 1 }] })).toMatch(
      /^Schema error for runbook: Additional properties are not allowed \('priority' was unexpected\)$/,
    );
    expect(await bad({ name: 'CUSTOM_A', steps: [LOG_STEP, { ...LOG_STEP, order: 2 }] })).toBe(
      'Deploy template invalid: Duplicate deploy steps. A template cannot have multiple deploy ' +
        'steps with the same interface and step. Duplicates: interface: vendor, step: log_passthrough.',
    );
    expect(await bad({ name: 'CUSTOM_A', steps: [LOG_STEP], traits: ['CUSTOM_A'] })).toMatch(
      /Additional properties are not allowed \('traits' was unexpected\)/,
    );
    await create({ name: 'CUSTOM_TAKEN', steps: [LOG_STEP] });
    expect(await bad({ name: 'CUSTOM_TAKEN', steps: [LOG_STEP] }, 409)).toBe(
      'A runbook with name CUSTOM_TAKEN already exists.',
    );
    const sorted = await call('GET', '/v1/runbooks?sort_key=steps');
    expect(sorted.status).toBe(400);
  });

  it('services an active node with a runbook named by one of its traits', async () => {
    await nodeIn('rb-active', TO_ACTIVE);
    await create({ name: 'CUSTOM_SERVICE_LOG', steps: [LOG_STEP], disable_ramdisk: true });
    const refused = await provision(
      'rb-active',
      { target: 'service', runbook: 'CUSTOM_SERVICE_LOG' },
      108,
    );
    expect(refused.status).toBe(400);
    expect(fault(refused)).toMatch(
      /^This runbook has not been approved for use on this node [0-9a-f-]+\. Please ask an administrator to add it to your node traits\.$/,
    );
    await setNodeTraits('rb-active', ['CUSTOM_SERVICE_LOG']);
    expect(
      (
        await provision(
          'rb-active',
          { target: 'service', runbook: 'CUSTOM_SERVICE_LOG', service_steps: [LOG_STEP] },
          108,
        )
      ).status,
    ).toBe(400);
    const before = await provision(
      'rb-active',
      { target: 'service', runbook: 'CUSTOM_SERVICE_LOG' },
      91,
    );
    expect(before.status).toBe(406);
    // As in Ironic, a runbook always carries disable_ramdisk, which servicing takes from 1.108.
    const ramdiskGate = await provision(
      'rb-active',
      { target: 'service', runbook: 'CUSTOM_SERVICE_LOG' },
      107,
    );
    expect(ramdiskGate.status).toBe(406);
    expect(fault(ramdiskGate)).toBe('disable_ramdisk is not acceptable in this API version');
    const started = await provision(
      'rb-active',
      { target: 'service', runbook: 'CUSTOM_SERVICE_LOG' },
      108,
    );
    expect(started.status, started.text).toBe(202);
    await settles('rb-active', 'active');
    expect((await nodeOf('rb-active')).last_error).toBeNull();
    const missing = await provision(
      'rb-active',
      { target: 'service', runbook: 'CUSTOM_NONE' },
      108,
    );
    expect(missing.status).toBe(404);
    expect(fault(missing)).toBe('Runbook CUSTOM_NONE could not be found.');
  });

  it('cleans a manageable node with a runbook: its steps run in order', async () => {
    await nodeIn('rb-clean', [['manage', 'manageable']]);
    await create({ name: 'CUSTOM_CLEAN_BIOS', steps: [BIOS_STEP] });
    await setNodeTraits('rb-clean', ['CUSTOM_CLEAN_BIOS']);
    const both = await provision('rb-clean', {
      target: 'clean',
      runbook: 'CUSTOM_CLEAN_BIOS',
      clean_steps: [BIOS_STEP],
    });
    expect(both.status).toBe(400);
    expect(fault(both)).toBe('Please provide either "clean_steps" or a runbook, but not both.');
    const started = await provision('rb-clean', { target: 'clean', runbook: 'CUSTOM_CLEAN_BIOS' });
    expect(started.status, started.text).toBe(202);
    await settles('rb-clean', 'manageable');
    const node = await nodeOf('rb-clean');
    expect(node.last_error).toBeNull();
    expect((node.driver_internal_info as Record<string, unknown>).fake_bios_settings).toEqual({
      boot_mode: 'uefi',
    });
  });

  it('1.112: any logical name, description, /traits, and approval by the runbook traits', async () => {
    const early = await call('GET', '/v1/runbooks/CUSTOM_TAKEN/traits', { minor: 111 });
    expect(early.status).toBe(404);
    const runbook = await create(
      { name: 'firmware-refresh.v2', description: 'log it', steps: [LOG_STEP] },
      112,
    );
    expect(runbook).toMatchObject({
      name: 'firmware-refresh.v2',
      description: 'log it',
      traits: [],
    });
    const old = await call('GET', `/v1/runbooks/${runbook.uuid}`, { minor: 111 });
    expect(Object.hasOwn(old.body as object, 'traits')).toBe(false);
    expect(Object.hasOwn(old.body as object, 'description')).toBe(false);

    const traits = (path = '') => `/v1/runbooks/${runbook.uuid}/traits${path}`;
    const at112 = { minor: 112 };
    expect(
      (await call('PUT', traits(), { ...at112, body: { traits: ['CUSTOM_B', 'CUSTOM_A'] } }))
        .status,
    ).toBe(204);
    // As python-ironicclient sends it: JSON content type, no body.
    const json = { ...at112, headers: { 'Content-Type': 'application/json' } };
    const added = await call('PUT', traits('/CUSTOM_C'), json);
    expect(added.status, added.text).toBe(204);
    expect((await call('DELETE', traits('/CUSTOM_A'), at112)).status).toBe(204);
    expect((await call('GET', traits(), at112)).body).toEqual({ traits: ['CUSTOM_B', 'CUSTOM_C'] });
    const badTrait = await call('PUT', traits('/lowercase'), json);
    expect(badTrait.status).toBe(400);

    await nodeIn('rb-112', TO_ACTIVE);
    const serve = () =>
      provision('rb-112', { target: 'service', runbook: 'firmware-refresh.v2' }, 112);
    await setNodeTraits('rb-112', ['CUSTOM_OTHER']);
    const unapproved = await serve();
    expect(unapproved.status).toBe(400);
    expect(fault(unapproved)).toMatch(
      /The node does not have any of the runbook's traits \['CUSTOM_B', 'CUSTOM_C'\]\. Please ask an administrator to add a matching trait to your node\.$/,
    );
    await setNodeTraits('rb-112', ['CUSTOM_C']);
    expect((await serve()).status).toBe(202);
    await settles('rb-112', 'active');

    expect((await call('DELETE', traits(), at112)).status).toBe(204);
    const none = await serve();
    expect(none.status).toBe(400);
    expect(fault(none)).toBe(
      `Runbook ${runbook.uuid} has no traits configured. Please ask an administrator to add traits to the runbook.`,
    );
  });
});
