import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  createInProcess,
  innerError,
  ironicLinks,
  IRONIC_TIMESTAMP,
  queryDatabase,
  type ApiRequestOptions,
  type HttpResult,
  type InProcessEnvironment,
} from '@galvanic/testing';

type Template = Record<string, unknown> & { uuid: string; name: string };

const BIOS_STEP = {
  interface: 'bios',
  step: 'apply_configuration',
  args: { settings: [{ name: 'boot_mode', value: 'uefi' }] },
  priority: 150,
};

describe("Ironic's deploy templates (in-process environment)", () => {
  let env: InProcessEnvironment;
  let base: string;
  const call = (method: string, path: string, options: ApiRequestOptions = {}) =>
    apiRequest(base, method, path, { minor: 55, ...options });
  const fault = (result: HttpResult) => innerError(result.body).faultstring;
  const create = async (body: Record<string, unknown>): Promise<Template> => {
    const result = await call('POST', '/v1/deploy_templates', { body });
    expect(result.status, result.text).toBe(201);
    return result.body as Template;
  };
  const nodeOf = async (name: string) =>
    (await call('GET', `/v1/nodes/${name}`, { minor: 82 })).body as Record<string, unknown>;
  const settles = (name: string, state: string) =>
    expect
      .poll(async () => (await nodeOf(name)).provision_state, { timeout: 30_000, interval: 100 })
      .toBe(state);

  beforeAll(async () => {
    env = await createInProcess({ database: 'shared' });
    base = env.apiUrl;
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  it('creates, shows, lists, patches and deletes a template, by UUID or name', async () => {
    const uuid = randomUUID();
    const created = await create({
      uuid,
      name: 'CUSTOM_HYPERTHREADING_ON',
      steps: [{ ...BIOS_STEP, priority: '150' }],
      extra: { owner: 'ops' },
    });
    expect(created).toEqual({
      uuid,
      name: 'CUSTOM_HYPERTHREADING_ON',
      steps: [BIOS_STEP],
      extra: { owner: 'ops' },
      created_at: expect.stringMatching(IRONIC_TIMESTAMP),
      updated_at: null,
      links: ironicLinks(base, `deploy_templates/${uuid}`),
    });
    expect((await call('GET', '/v1/deploy_templates/CUSTOM_HYPERTHREADING_ON')).body).toEqual(
      created,
    );
    const listed = (await call('GET', '/v1/deploy_templates')).body as {
      deploy_templates: Template[];
    };
    expect(listed.deploy_templates).toContainEqual({
      uuid,
      name: 'CUSTOM_HYPERTHREADING_ON',
      links: ironicLinks(base, `deploy_templates/${uuid}`),
    });
    const detailed = (await call('GET', '/v1/deploy_templates?detail=true')).body as {
      deploy_templates: Template[];
    };
    expect(detailed.deploy_templates.find((t) => t.uuid === uuid)?.steps).toEqual([BIOS_STEP]);

    const patched = await call('PATCH', `/v1/deploy_templates/${uuid}`, {
      body: [
        { op: 'replace', path: '/name', value: 'CUSTOM_HT_ON' },
        { op: 'replace', path: '/steps/0/priority', value: 120 },
        { op: 'remove', path: '/extra/owner' },
      ],
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({
      name: 'CUSTOM_HT_ON',
      steps: [{ ...BIOS_STEP, priority: 120 }],
      extra: {},
      updated_at: expect.stringMatching(IRONIC_TIMESTAMP),
    });
    expect((await call('DELETE', '/v1/deploy_templates/CUSTOM_HT_ON')).status).toBe(204);
    const gone = await call('GET', `/v1/deploy_templates/${uuid}`);
    expect(gone.status).toBe(404);
    expect(fault(gone)).toBe(`Deploy template ${uuid} could not be found.`);
  });

  it("refuses bad templates in Ironic's words", async () => {
    await create({ name: 'CUSTOM_TAKEN', steps: [BIOS_STEP] });
    const cases: [unknown, number, string][] = [
      [
        { name: 'not-a-trait', steps: [BIOS_STEP] },
        400,
        "Schema error for deploy_template: 'not-a-trait' is not valid under any of the given schemas",
      ],
      [
        { name: 'CUSTOM_A' },
        400,
        "Schema error for deploy_template: 'steps' is a required property",
      ],
      [{ name: 'CUSTOM_A', steps: [] }, 400, 'Schema error for deploy_template: [] is too short'],
      [
        { name: 'CUSTOM_A', steps: [{ ...BIOS_STEP, interface: 'boot' }] },
        400,
        "Schema error for deploy_template: 'boot' is not one of ['vendor', 'power', 'management', 'firmware', 'deploy', 'bios', 'raid']",
      ],
      [
        { name: 'CUSTOM_A', steps: [{ ...BIOS_STEP, priority: -1 }] },
        400,
        'Schema error for deploy_template: -1 is not valid under any of the given schemas',
      ],
      [
        { name: 'CUSTOM_A', steps: [{ interface: 'bios', step: 'x', priority: 1 }] },
        400,
        "Schema error for deploy_template: 'args' is a required property",
      ],
      [
        { name: 'CUSTOM_A', steps: [BIOS_STEP, BIOS_STEP] },
        400,
        'Deploy template invalid: Duplicate deploy steps. A template cannot have multiple deploy steps with the same interface and step. Duplicates: interface: bios, step: apply_configuration.',
      ],
      [
        { name: 'CUSTOM_TAKEN', steps: [BIOS_STEP] },
        409,
        'A deploy template with name CUSTOM_TAKEN already exists.',
      ],
    ];
    for (const [body, status, message] of cases) {
      const result = await call('POST', '/v1/deploy_templates', { body });
      expect(result.status, JSON.stringify(body)).toBe(status);
      expect(fault(result)).toBe(message);
    }
    const badPatch = await call('PATCH', '/v1/deploy_templates/CUSTOM_TAKEN', {
      body: [{ op: 'replace', path: '/uuid', value: randomUUID() }],
    });
    expect(badPatch.status).toBe(400);
    expect(fault(badPatch)).toBe(
      'Cannot patch /uuid. Only the following can be updated: extra, name, steps',
    );
    const sortExtra = await call('GET', '/v1/deploy_templates?sort_key=steps');
    expect(sortExtra.status).toBe(400);
  });

  it('exists from 1.55 only', async () => {
    expect((await call('GET', '/v1/deploy_templates', { minor: 54 })).status).toBe(404);
    const post = await call('POST', '/v1/deploy_templates', { minor: 54, body: {} });
    expect(post.status).toBe(405);
    expect(fault(post)).toBe('The API version does not allow deploy templates');
  });

  it("a node's instance traits select templates whose steps join the deploy", async () => {
    await create({ name: 'CUSTOM_UEFI', steps: [BIOS_STEP] });
    await create({
      name: 'CUSTOM_UNUSED',
      steps: [{ ...BIOS_STEP, args: { settings: [{ name: 'never', value: 'x' }] } }],
    });
    await create({
      name: 'CUSTOM_BROKEN',
      steps: [{ interface: 'management', step: 'no_such_step', args: {}, priority: 10 }],
    });
    const name = 'templated';
    expect(
      (await call('POST', '/v1/nodes', { minor: 82, body: { driver: 'fake-hardware', name } }))
        .status,
    ).toBe(201);
    for (const [target, state] of [
      ['manage', 'manageable'],
      ['provide', 'available'],
    ] as const) {
      await call('PUT', `/v1/nodes/${name}/states/provision`, { minor: 82, body: { target } });
      await settles(name, state);
    }
    // Node traits have no API here yet: set them where they are stored.
    await queryDatabase(env.databaseUrl!, 'UPDATE nodes SET traits = $2 WHERE name = $1', [
      name,
      JSON.stringify(['CUSTOM_UEFI', 'CUSTOM_BROKEN']),
    ]);
    const deploy = () =>
      call('PUT', `/v1/nodes/${name}/states/provision`, { minor: 82, body: { target: 'active' } });
    const setTraits = (traits: unknown) =>
      call('PATCH', `/v1/nodes/${name}`, {
        minor: 82,
        body: [{ op: 'add', path: '/instance_info/traits', value: traits }],
      });

    await setTraits(['CUSTOM_MISSING']);
    const missing = await deploy();
    expect(missing.status).toBe(400);
    expect(fault(missing)).toMatch(
      /^Cannot specify instance traits that are not also set on the node\. Node [0-9a-f-]+ is missing traits CUSTOM_MISSING$/,
    );

    await setTraits(['CUSTOM_BROKEN']);
    const broken = await deploy();
    expect(broken.status).toBe(400);
    expect(fault(broken)).toMatch(
      /^Validation of deploy steps from deploy templates matching this node's instance traits failed\. Matching deploy templates: CUSTOM_BROKEN\. Errors: No deploy step "no_such_step"/,
    );

    await setTraits(['CUSTOM_UEFI']);
    const deployed = await deploy();
    expect(deployed.status, deployed.text).toBe(202);
    await settles(name, 'active');
    const node = await nodeOf(name);
    expect((node.driver_internal_info as Record<string, unknown>).fake_bios_settings).toEqual({
      boot_mode: 'uefi',
    });
  });
});
