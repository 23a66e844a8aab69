import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  createInProcess,
  innerError,
  ironicLinks,
  IRONIC_TIMESTAMP,
  type ApiRequestOptions,
  type HttpResult,
  type InProcessEnvironment,
} from '@galvanic/testing';

type Rule = Record<string, unknown> & { uuid: string };

const CPU_CONDITION = { op: 'gt', args: { values: ['{inventory[cpu][count]}', 0] } };
const SET_CPUS = {
  op: 'set-attribute',
  args: { path: '/properties/cpus', value: '{inventory[cpu][count]}' },
};

describe("Ironic's inspection rules API (1.96, in-process environment)", () => {
  let env: InProcessEnvironment;
  let base: string;
  const call = (method: string, path: string, options: ApiRequestOptions = {}) =>
    apiRequest(base, method, path, { minor: 96, ...options });
  const fault = (result: HttpResult) => innerError(result.body).faultstring;
  const create = async (body: Record<string, unknown>): Promise<Rule> => {
    const result = await call('POST', '/v1/inspection_rules', { body });
    expect(result.status, result.text).toBe(201);
    return result.body as Rule;
  };

  beforeAll(async () => {
    env = await createInProcess({ database: 'shared' });
    base = env.apiUrl;
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  it('creates, shows, lists, patches and deletes a rule', async () => {
    const uuid = randomUUID();
    const created = await call('POST', '/v1/inspection_rules', {
      body: {
        uuid,
        description: 'CPU count',
        priority: 50,
        conditions: [CPU_CONDITION, { ...CPU_CONDITION, op: '!lt', extra_member: 1 }],
        actions: [SET_CPUS],
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.location).toBe(`${base}/v1/inspection_rules/${uuid}`);
    const expected = {
      uuid,
      description: 'CPU count',
      phase: 'main',
      priority: 50,
      sensitive: false,
      conditions: [CPU_CONDITION, { ...CPU_CONDITION, op: '!lt' }],
      actions: [SET_CPUS],
      created_at: expect.stringMatching(IRONIC_TIMESTAMP),
      updated_at: null,
      links: ironicLinks(base, `inspection_rules/${uuid}`),
    };
    expect(created.body).toEqual(expected);
    expect((await call('GET', `/v1/inspection_rules/${uuid}`)).body).toEqual(expected);
    expect((await call('GET', `/v1/inspection_rules/${uuid}?fields=uuid,priority`)).body).toEqual({
      uuid,
      priority: 50,
      links: ironicLinks(base, `inspection_rules/${uuid}`),
    });

    const listed = (await call('GET', '/v1/inspection_rules')).body as { inspection_rules: Rule[] };
    expect(listed.inspection_rules).toContainEqual({
      uuid,
      description: 'CPU count',
      phase: 'main',
      priority: 50,
      links: ironicLinks(base, `inspection_rules/${uuid}`),
    });
    const detailed = (await call('GET', '/v1/inspection_rules?detail=true&phase=main')).body as {
      inspection_rules: Rule[];
    };
    expect(detailed.inspection_rules.find((r) => r.uuid === uuid)).toEqual(expected);
    const otherPhase = (await call('GET', '/v1/inspection_rules?phase=early')).body as {
      inspection_rules: Rule[];
    };
    expect(otherPhase.inspection_rules).toEqual([]);

    const patched = await call('PATCH', `/v1/inspection_rules/${uuid}`, {
      body: [
        { op: 'replace', path: '/priority', value: 70 },
        { op: 'replace', path: '/actions/0/args/path', value: '/properties/cpu_count' },
        { op: 'add', path: '/conditions/-', value: { op: 'is-true', args: ['yes'] } },
        { op: 'remove', path: '/description' },
      ],
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({
      priority: 70,
      description: null,
      actions: [{ ...SET_CPUS, args: { ...SET_CPUS.args, path: '/properties/cpu_count' } }],
      updated_at: expect.stringMatching(IRONIC_TIMESTAMP),
    });
    expect((patched.body as Rule).conditions).toHaveLength(3);

    expect((await call('DELETE', `/v1/inspection_rules/${uuid}`)).status).toBe(204);
    const gone = await call('GET', `/v1/inspection_rules/${uuid}`);
    expect(gone.status).toBe(404);
    expect(fault(gone)).toBe(`Rule ${uuid} could not be found.`);
    expect(fault(await call('DELETE', `/v1/inspection_rules/${uuid}`))).toBe(
      `Rule ${uuid} could not be found.`,
    );
  });

  it('hides the conditions and actions of a sensitive rule, which stays sensitive', async () => {
    const rule = await create({
      description: 'BMC credentials',
      sensitive: true,
      conditions: [{ op: 'is-empty', args: { value: '{node.driver_info[redfish_password]}' } }],
      actions: [
        {
          op: 'set-attribute',
          args: { path: 'driver_info.redfish_password', value: 'Sup3r-s3cret' },
        },
      ],
    });
    expect(rule).toMatchObject({ sensitive: true, conditions: null, actions: null });
    expect(JSON.stringify(rule)).not.toContain('Sup3r-s3cret');
    const shown = await call('GET', `/v1/inspection_rules/${rule.uuid}`);
    expect(shown.body).toMatchObject({ conditions: null, actions: null });
    const detailed = await call('GET', '/v1/inspection_rules?detail=True');
    expect(detailed.text).not.toContain('Sup3r-s3cret');

    const unset = await call('PATCH', `/v1/inspection_rules/${rule.uuid}`, {
      body: [{ op: 'replace', path: '/sensitive', value: false }],
    });
    expect(unset.status).toBe(400);
    expect(fault(unset)).toContain('Inspection rules cannot have the sensitive flag unset.');
    expect((await call('GET', `/v1/inspection_rules/${rule.uuid}`)).body).toMatchObject({
      sensitive: true,
    });
  });

  it("refuses bad rules in Ironic's words", async () => {
    const taken = await create({ actions: [{ op: 'log', args: { msg: 'hello' } }] });
    const cases: [unknown, number, string][] = [
      [{}, 400, "Schema error for inspection_rule: 'actions' is a required property"],
      [{ actions: [] }, 400, 'Schema error for inspection_rule: [] is too short'],
      [
        { actions: [{ op: 'log' }] },
        400,
        "Schema error for inspection_rule: 'args' is a required property",
      ],
      [
        { actions: [{ op: 'reboot', args: {} }] },
        400,
        "Schema error for inspection_rule: 'reboot' is not one of ['fail', 'log', 'set-attribute', 'extend-attribute', 'del-attribute', 'set-capability', 'unset-capability', 'add-trait', 'remove-trait', 'set-plugin-data', 'extend-plugin-data', 'unset-plugin-data', 'set-port-attribute', 'extend-port-attribute', 'del-port-attribute', 'api-call']",
      ],
      [
        { actions: [SET_CPUS], conditions: [{ op: '!!eq', args: { values: [] } }] },
        400,
        "Schema error for inspection_rule: '!!eq' is not one of ['eq', 'lt', 'gt', 'is-empty', 'in-net', 'matches', 'contains', 'one-of', 'is-none', 'is-true', 'is-false', '!eq', '!lt', '!gt', '!is-empty', '!in-net', '!matches', '!contains', '!one-of', '!is-none', '!is-true', '!is-false']",
      ],
      [
        { actions: [{ op: 'log', args: 'hello' }] },
        400,
        "Schema error for inspection_rule: 'hello' is not of type 'array', 'object'",
      ],
      [
        { actions: [SET_CPUS], conditions: [{ ...CPU_CONDITION, loop: [1], multiple: 'most' }] },
        400,
        "Schema error for inspection_rule: 'most' is not one of ['any', 'all', 'first', 'last']",
      ],
      [
        { actions: [SET_CPUS], priority: -1 },
        400,
        'Schema error for inspection_rule: -1 is less than the minimum of 0',
      ],
      [
        { actions: [SET_CPUS], priority: '5' },
        400,
        "Schema error for inspection_rule: '5' is not of type 'integer'",
      ],
      [
        { actions: [SET_CPUS], name: 'x' },
        400,
        "Schema error for inspection_rule: Additional properties are not allowed ('name' was unexpected)",
      ],
      [
        { actions: [{ op: 'set-attribute', args: { path: '/extra/a', val: 1 } }] },
        400,
        'missing required argument(s): value; unexpected argument(s): val',
      ],
      [
        { actions: [SET_CPUS], conditions: [{ op: 'matches', args: { value: 'x' } }] },
        400,
        'missing required argument(s): regex',
      ],
      [
        { actions: [{ op: 'add-trait', args: [] }] },
        400,
        'Not enough arguments provided. Missing: name',
      ],
      [
        { actions: [{ op: 'api-call', args: { url: 'http://example.com' } }] },
        400,
        'Unsupported action operator: api-call',
      ],
      [
        { actions: [SET_CPUS], phase: 'early' },
        400,
        'Invalid phase: early. Valid phases are: main',
      ],
      [
        { actions: [SET_CPUS], phase: 'early', priority: 10000 },
        400,
        'Multiple validation errors occurred: Invalid phase: early. Valid phases are: main; Priority must be between 0 and 9999 for user-defined rules.',
      ],
      [{ actions: [SET_CPUS], uuid: 'nope' }, 400, 'Expected UUID for uuid: nope'],
      [
        { actions: [SET_CPUS], uuid: taken.uuid },
        409,
        `A rule with UUID ${taken.uuid} already exists.`,
      ],
    ];
    for (const [body, status, message] of cases) {
      const result = await call('POST', '/v1/inspection_rules', { body });
      expect([result.status, fault(result)], JSON.stringify(body)).toEqual([status, message]);
    }
    const badPatch = await call('PATCH', `/v1/inspection_rules/${taken.uuid}`, {
      body: [{ op: 'replace', path: '/actions/0/args', value: { message: 'x' } }],
    });
    expect([badPatch.status, fault(badPatch)]).toEqual([
      400,
      'missing required argument(s): msg; unexpected argument(s): message',
    ]);
    const readOnly = await call('PATCH', `/v1/inspection_rules/${taken.uuid}`, {
      body: [{ op: 'replace', path: '/uuid', value: randomUUID() }],
    });
    expect([readOnly.status, fault(readOnly)]).toEqual([
      400,
      'Cannot patch /uuid. Only the following can be updated: actions, conditions, description, phase, priority, sensitive',
    ]);
    const badSort = await call('GET', '/v1/inspection_rules?sort_key=actions');
    expect(badSort.status).toBe(400);
    // No /detail path: Ironic reads it as a rule's UUID.
    const detailPath = await call('GET', '/v1/inspection_rules/detail');
    expect([detailPath.status, fault(detailPath)]).toEqual([
      400,
      'Expected UUID for inspection_rule_uuid: detail',
    ]);
  });

  it('is not there below 1.96, as Ironic answers', async () => {
    const read = await call('GET', '/v1/inspection_rules', { minor: 95 });
    expect([read.status, fault(read)]).toEqual([
      404,
      'The API version does not allow inspection rules',
    ]);
    const write = await call('POST', '/v1/inspection_rules', {
      minor: 95,
      body: { actions: [SET_CPUS] },
    });
    expect([write.status, fault(write)]).toEqual([
      405,
      'The API version does not allow inspection rules',
    ]);
  });

  it('pages and sorts the list', async () => {
    const made = [];
    for (const priority of [9001, 9002, 9003]) {
      made.push(await create({ priority, actions: [{ op: 'log', args: { msg: 'p' } }] }));
    }
    const page = await call('GET', '/v1/inspection_rules?sort_key=priority&sort_dir=desc&limit=2');
    const body = page.body as { inspection_rules: Rule[]; next: string };
    expect(body.inspection_rules.map((r) => r.priority)).toEqual([9003, 9002]);
    expect(body.next).toContain(`marker=${made[1]!.uuid}`);
  });
});
