import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendHttp, startSplitMode, type HttpResult, type SplitMode } from '@galvanic/testing';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };
const SECRET = 'Fuzz-Secret-Never-Shown-7';
/** Each property stops generating after this long; what ran by then is still checked. */
const TIME_LIMIT_MS = 5_000;

/** Keys that reach prototype machinery, and others that are awkward as keys or array indexes. */
const AWKWARD_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'length',
  '-',
  '0',
  '',
  'ipmi_password',
];
const NODE_FIELDS = [
  'driver',
  'driver_info',
  'extra',
  'properties',
  'instance_info',
  'network_data',
  'instance_uuid',
  'name',
  'description',
  'resource_class',
  'owner',
  'automated_clean',
  'maintenance',
  'protected',
  'retired',
  'conductor_group',
  'uuid',
  'chassis_uuid',
  'boot_interface',
  'shard',
];
const PORT_FIELDS = ['address', 'node_uuid', 'extra', 'pxe_enabled', 'local_link_connection'];

const key = (fields: readonly string[]) =>
  fc.oneof(
    fc.constantFrom(...fields, ...AWKWARD_KEYS),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
  );
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom('a'.repeat(300), 'x', 'maybe', 'true', '', 'fake-hardware', '\u0000'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
/** JSON values whose object keys include the awkward ones, nested a few levels. */
const jsonValue = (fields: readonly string[]) =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(key(fields), tie('value'), { maxKeys: 4 }),
    ),
  })).value;

const pointer = (fields: readonly string[]) =>
  fc
    .array(key(fields), { minLength: 0, maxLength: 4 })
    .map((tokens) => tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''));

const operation = (fields: readonly string[]) =>
  fc.record(
    {
      op: fc.oneof(
        fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test'),
        fc.string({ maxLength: 8 }),
      ),
      path: fc.oneof(pointer(fields), jsonValue(fields)),
      value: jsonValue(fields),
      from: pointer(fields),
    },
    { requiredKeys: [] },
  );

/** Operations that pass the patch schema's shape, so they reach the walker and the checks. */
const wellFormedOperation = (fields: readonly string[]) =>
  fc.record({
    op: fc.constantFrom('add', 'remove', 'replace'),
    path: fc
      .tuple(
        fc.constantFrom(...fields),
        fc.array(
          fc.oneof(
            fc.constantFrom(...AWKWARD_KEYS.filter(Boolean)),
            fc.stringMatching(/^\w{1,6}$/),
          ),
          {
            maxLength: 3,
          },
        ),
      )
      .map(([field, rest]) => [field, ...rest].map((t) => `/${t}`).join('')),
    value: jsonValue(fields),
  });

const patchDocument = (fields: readonly string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.array(wellFormedOperation(fields), { minLength: 1, maxLength: 3 }) },
    { weight: 3, arbitrary: fc.array(operation(fields), { minLength: 1, maxLength: 4 }) },
    { weight: 1, arbitrary: jsonValue(fields) },
  );

/**
 * Generated patches, bodies and query strings thrown at a real split-mode api with two workers:
 * every answer is a client error or a success, never a 500, never the masked secret, and no api
 * worker dies (the supervisor logs each one it has to replace).
 */
describe('api fuzzing', () => {
  let cluster: SplitMode;
  let nodeUuid: string;
  let portUuid: string;
  let requests = 0;
  const statuses = new Map<number, number>();

  const send = async (method: string, path: string, body?: string): Promise<HttpResult> => {
    requests += 1;
    const result = await sendHttp(cluster.apiUrl, method, path, HEADERS, body);
    statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
    const described = `${method} ${path} ${body ?? ''} -> ${result.status} ${result.text}`;
    if (result.status >= 500) throw new Error(`server error: ${described}`);
    if (result.text.includes(SECRET)) throw new Error(`secret shown: ${described}`);
    return result;
  };

  beforeAll(async () => {
    cluster = await startSplitMode({ env: { GALVANIC_API__API_WORKERS: '2' } });
    const node = await send(
      'POST',
      '/v1/nodes',
      JSON.stringify({
        driver: 'fake-hardware',
        name: 'fuzzed',
        driver_info: { ipmi_password: SECRET },
      }),
    );
    expect(node.status, node.text).toBe(201);
    nodeUuid = (node.body as { uuid: string }).uuid;
    const port = await send(
      'POST',
      '/v1/ports',
      JSON.stringify({ address: '52:54:00:fa:22:01', node_uuid: nodeUuid }),
    );
    expect(port.status, port.text).toBe(201);
    portUuid = (port.body as { uuid: string }).uuid;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  const run = <Ts extends [unknown, ...unknown[]]>(property: fc.IAsyncProperty<Ts>) =>
    fc.assert(property, { numRuns: 1500, interruptAfterTimeLimit: TIME_LIMIT_MS });

  it('node patches', async () => {
    await run(
      fc.asyncProperty(patchDocument(NODE_FIELDS), async (patch) => {
        await send('PATCH', `/v1/nodes/${nodeUuid}`, JSON.stringify(patch));
      }),
    );
  });

  it('port patches', async () => {
    await run(
      fc.asyncProperty(patchDocument(PORT_FIELDS), async (patch) => {
        await send('PATCH', `/v1/ports/${portUuid}`, JSON.stringify(patch));
      }),
    );
  });

  it('node and port create bodies', async () => {
    const created: string[] = [];
    await run(
      fc.asyncProperty(
        fc.tuple(fc.dictionary(key(NODE_FIELDS), jsonValue(NODE_FIELDS), { maxKeys: 6 })),
        async ([fields]) => {
          const node = await send(
            'POST',
            '/v1/nodes',
            JSON.stringify({ driver: 'fake-hardware', ...fields }),
          );
          if (node.status === 201) created.push((node.body as { uuid: string }).uuid);
          await send('POST', '/v1/ports', JSON.stringify({ node_uuid: nodeUuid, ...fields }));
        },
      ),
    );
    for (const uuid of created) await send('DELETE', `/v1/nodes/${uuid}`);
  });

  it('query strings and path identifiers', async () => {
    const text = fc.oneof(
      fc.constantFrom(...AWKWARD_KEYS, 'x', '%00', '%E0%A4%A', 'true', 'maybe'),
      fc.string({ maxLength: 20 }).map(encodeURIComponent),
      fc.string({ unit: 'binary', maxLength: 8 }).map(encodeURIComponent),
    );
    const parameter = fc.constantFrom(
      'fields',
      'marker',
      'instance_uuid',
      'maintenance',
      'associated',
      'limit',
      'sort_key',
      'sort_dir',
      'detail',
      'driver',
      'description_contains',
      'node',
      'node_uuid',
      'address',
    );
    await run(
      fc.asyncProperty(
        fc.tuple(fc.array(fc.tuple(parameter, text), { maxLength: 3 }), text),
        async ([parameters, ident]) => {
          const query = parameters.map(([name, value]) => `${name}=${value}`).join('&');
          await send('GET', `/v1/nodes?${query}`);
          await send('GET', `/v1/ports/detail?${query}`);
          await send('GET', `/v1/nodes/${ident}?${query}`);
        },
      ),
    );
  });

  it('state, boot device and vendor passthru bodies', async () => {
    const stateKeys = [
      'target',
      'timeout',
      'configdrive',
      'clean_steps',
      'deploy_steps',
      'boot_device',
      'persistent',
    ];
    const targets = fc.constantFrom(
      'power on',
      'power off',
      'rebooting',
      'manage',
      'inspect',
      'provide',
      'clean',
      'active',
      'deleted',
      'constructor',
      '__proto__',
    );
    const body = fc.oneof(
      jsonValue(stateKeys),
      fc.record({ target: targets, timeout: jsonValue(stateKeys) }, { requiredKeys: ['target'] }),
      fc.record(
        { boot_device: fc.constantFrom('pxe', 'disk', 'toString'), persistent: scalar },
        { requiredKeys: [] },
      ),
    );
    const route = fc.constantFrom(
      ['PUT', 'states/power'],
      ['PUT', 'states/provision'],
      ['PUT', 'management/boot_device'],
      ['POST', 'vendor_passthru?method=first_method'],
      ['POST', 'vendor_passthru?method=constructor'],
      ['GET', 'vendor_passthru/toString'],
    );
    await run(
      fc.asyncProperty(fc.tuple(route, body), async ([[method, path], payload]) => {
        await send(method, `/v1/nodes/${nodeUuid}/${path}`, JSON.stringify(payload));
      }),
    );
  });

  it('left every worker alive and unpolluted', async () => {
    expect(requests).toBeGreaterThan(1000);
    for (let i = 0; i < 6; i += 1) {
      const fresh = await send('POST', '/v1/nodes', JSON.stringify({ driver: 'fake-hardware' }));
      expect(fresh.status).toBe(201);
      await send('DELETE', `/v1/nodes/${(fresh.body as { uuid: string }).uuid}`);
    }
    expect(cluster.api.output()).not.toMatch(/api worker exited/);
  });
});
