import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  baremetal,
  baremetalQuiet,
  createInProcess,
  innerError,
  ironicLinks,
  IRONIC_TIMESTAMP,
  type ApiRequestOptions,
  type HttpResult,
  type InProcessEnvironment,
} from '@galvanic/testing';

type Chassis = Record<string, unknown> & { uuid: string };

describe("Ironic's chassis API (in-process environment)", () => {
  let env: InProcessEnvironment;
  let base: string;

  /** Sends a request at microversion 1.`minor` (82 unless given), with a JSON body if any. */
  const call = (method: string, path: string, options: ApiRequestOptions = {}) =>
    apiRequest(base, method, path, options);
  const fault = (result: HttpResult) => innerError(result.body).faultstring;
  const chassisOf = (result: HttpResult) => (result.body as { chassis: Chassis[] }).chassis;
  const links = (path: string) => ironicLinks(base, path);

  const createChassis = async (body: Record<string, unknown> = {}): Promise<Chassis> => {
    const result = await call('POST', '/v1/chassis', { body });
    expect(result.status, result.text).toBe(201);
    return result.body as Chassis;
  };
  const createNode = async (body: Record<string, unknown> = {}) => {
    const result = await call('POST', '/v1/nodes', { body: { driver: 'fake-hardware', ...body } });
    return result;
  };

  beforeAll(async () => {
    env = await createInProcess();
    base = env.apiUrl;
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
  });

  describe('create and show', () => {
    it('creates a chassis: 201, Location, and every field with its value', async () => {
      const uuid = randomUUID();
      const result = await call('POST', '/v1/chassis', {
        body: { uuid: uuid.toUpperCase(), description: 'rack 12', extra: { row: 'b' } },
      });
      expect(result.status).toBe(201);
      expect(result.headers.location).toBe(`${base}/v1/chassis/${uuid}`);
      expect(result.body).toEqual({
        uuid,
        description: 'rack 12',
        extra: { row: 'b' },
        created_at: expect.stringMatching(IRONIC_TIMESTAMP),
        updated_at: null,
        links: links(`chassis/${uuid}`),
        nodes: links(`chassis/${uuid}/nodes`),
      });
      const shown = await call('GET', `/v1/chassis/${uuid}`);
      expect(shown.status).toBe(200);
      expect(shown.body).toEqual(result.body);
    });

    it('generates a UUID and defaults description and extra', async () => {
      const chassis = await createChassis();
      expect(chassis.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(chassis.description).toBeNull();
      expect(chassis.extra).toEqual({});
    });

    it("refuses bad bodies in Ironic's schema words", async () => {
      const cases: [unknown, string][] = [
        [
          { name: 'x' },
          "Schema error for chassis: Additional properties are not allowed ('name' was unexpected)",
        ],
        [{ extra: 'x' }, "Schema error for chassis: 'x' is not of type 'object', 'null'"],
        [{ description: 5 }, "Schema error for chassis: 5 is not of type 'string', 'null'"],
        [
          { description: 'd'.repeat(256) },
          `Schema error for chassis: '${'d'.repeat(256)}' is too long`,
        ],
        [{ uuid: 'not-a-uuid' }, 'Expected UUID for uuid: not-a-uuid'],
        [[], "Schema error for chassis: [] is not of type 'object'"],
        // Quoted back with secret-named members masked.
        [
          { description: { password: 'hunter2' } },
          "Schema error for chassis: {'password': '******'} is not of type 'string', 'null'",
        ],
      ];
      for (const [body, message] of cases) {
        const result = await call('POST', '/v1/chassis', { body });
        expect(result.status, JSON.stringify(body)).toBe(400);
        expect(fault(result)).toBe(message);
      }
    });

    it('answers an unknown chassis with 404 and a malformed UUID with 400', async () => {
      const missing = randomUUID();
      const unknown = await call('GET', `/v1/chassis/${missing}`);
      expect(unknown.status).toBe(404);
      expect(fault(unknown)).toBe(`Chassis ${missing} could not be found.`);
      const malformed = await call('GET', '/v1/chassis/rack-1');
      expect(malformed.status).toBe(400);
      expect(fault(malformed)).toBe('Expected UUID for chassis_uuid: rack-1');
    });

    it('a duplicate UUID is a 409', async () => {
      const chassis = await createChassis();
      const again = await call('POST', '/v1/chassis', { body: { uuid: chassis.uuid } });
      expect(again.status).toBe(409);
      expect(fault(again)).toBe(`A chassis with UUID ${chassis.uuid} already exists.`);
    });

    it("takes the methods Ironic's chassis take, else 405 with Allow", async () => {
      const put = await call('PUT', '/v1/chassis');
      expect(put.status).toBe(405);
      expect(put.headers.allow).toBe('DELETE, GET, PATCH, POST');
      const chassis = await createChassis();
      const post = await call('POST', `/v1/chassis/${chassis.uuid}`, { body: {} });
      expect(post.status).toBe(405);
      expect(post.headers.allow).toBe('DELETE, GET, PATCH');
    });
  });

  describe('list', () => {
    let listed: Chassis[];

    beforeAll(async () => {
      listed = [];
      for (const description of ['list-c', 'list-a', 'list-b'])
        listed.push(await createChassis({ description, extra: { purpose: 'list' } }));
    });

    it('shows uuid, description and links by default; every field with detail', async () => {
      const all = chassisOf(await call('GET', '/v1/chassis'));
      const first = all.find((c) => c.uuid === listed[0]!.uuid)!;
      expect(first).toEqual({
        uuid: listed[0]!.uuid,
        description: 'list-c',
        links: links(`chassis/${listed[0]!.uuid}`),
      });
      for (const path of ['/v1/chassis/detail', '/v1/chassis?detail=True']) {
        const detailed = chassisOf(await call('GET', path)).find((c) => c.uuid === listed[0]!.uuid);
        expect(detailed, path).toEqual(listed[0]);
      }
    });

    it('selects fields from 1.8 on, a bare 406 before', async () => {
      const selected = chassisOf(await call('GET', '/v1/chassis?fields=extra,uuid'));
      expect(selected.find((c) => c.uuid === listed[1]!.uuid)).toEqual({
        extra: { purpose: 'list' },
        uuid: listed[1]!.uuid,
        links: links(`chassis/${listed[1]!.uuid}`),
      });
      const early = await call('GET', '/v1/chassis?fields=uuid', { minor: 7 });
      expect(early.status).toBe(406);
      const shown = await call('GET', `/v1/chassis/${listed[1]!.uuid}?fields=description`);
      expect(shown.body).toEqual({
        description: 'list-a',
        links: links(`chassis/${listed[1]!.uuid}`),
      });
      const bad = await call('GET', '/v1/chassis?fields=uuid,name');
      expect(bad.status).toBe(400);
      expect(fault(bad)).toBe('Field(s) "name" are not valid');
    });

    it('takes ?detail from 1.43 on, and never with /detail or fields', async () => {
      const early = await call('GET', '/v1/chassis?detail=true', { minor: 42 });
      expect(early.status).toBe(400);
      expect(fault(early)).toBe('Invalid query parameter ?detail=True received.');
      const onDetail = await call('GET', '/v1/chassis/detail?detail=false');
      expect(onDetail.status).toBe(400);
      expect(fault(onDetail)).toBe('Invalid query parameter ?detail=False received.');
      const both = await call('GET', '/v1/chassis?detail=true&fields=uuid');
      expect(both.status).toBe(400);
      expect(fault(both)).toBe('Can not specify ?detail=True and fields in the same request.');
    });

    it('pages with limit and marker, and links the next page', async () => {
      const page1 = await call('GET', '/v1/chassis?limit=2&sort_key=description&sort_dir=desc');
      expect(page1.status).toBe(200);
      const body1 = page1.body as { chassis: Chassis[]; next: string };
      expect(body1.chassis).toHaveLength(2);
      const lastUuid = body1.chassis[1]!.uuid;
      expect(body1.next).toBe(
        `${base}/v1/chassis?limit=2&sort_key=description&sort_dir=desc&marker=${lastUuid}`,
      );
      const everything = chassisOf(
        await call('GET', '/v1/chassis?sort_key=description&sort_dir=desc'),
      );
      const page2 = chassisOf(
        await call('GET', new URL(body1.next).pathname + new URL(body1.next).search),
      );
      expect([...body1.chassis, ...page2].map((c) => c.uuid)).toEqual(
        everything.slice(0, 2 + page2.length).map((c) => c.uuid),
      );
      // Descending, as PostgreSQL orders it: NULLs first.
      const descriptions = everything.map((c) => c.description as string | null);
      const sorted = [...descriptions].sort((a, b) =>
        a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? 1 : -1,
      );
      expect(descriptions).toEqual(sorted);
    });

    it("refuses Ironic's bad sort keys and markers", async () => {
      const extra = await call('GET', '/v1/chassis?sort_key=extra');
      expect(extra.status).toBe(400);
      expect(fault(extra)).toBe('The sort_key value "extra" is an invalid field for sorting');
      const missing = randomUUID();
      const marker = await call('GET', `/v1/chassis?marker=${missing}`);
      expect(marker.status).toBe(404);
      expect(fault(marker)).toBe(`Chassis ${missing} could not be found.`);
    });
  });

  describe('patch', () => {
    it('replaces, adds and removes description and extra', async () => {
      const chassis = await createChassis({ description: 'old', extra: { a: 1 } });
      const result = await call('PATCH', `/v1/chassis/${chassis.uuid}`, {
        body: [
          { op: 'replace', path: '/description', value: 'new' },
          { op: 'add', path: '/extra/b', value: 2 },
        ],
      });
      expect(result.status, result.text).toBe(200);
      expect(result.body).toEqual({
        ...chassis,
        description: 'new',
        extra: { a: 1, b: 2 },
        updated_at: expect.stringMatching(IRONIC_TIMESTAMP),
      });
      const removed = await call('PATCH', `/v1/chassis/${chassis.uuid}`, {
        body: [
          { op: 'remove', path: '/description' },
          { op: 'remove', path: '/extra/a' },
        ],
      });
      expect(removed.status).toBe(200);
      expect(removed.body).toMatchObject({ description: null, extra: { b: 2 } });
      expect((await call('GET', `/v1/chassis/${chassis.uuid}`)).body).toEqual(removed.body);
    });

    it('refuses what Ironic refuses, in its words', async () => {
      const chassis = await createChassis();
      const readOnly = await call('PATCH', `/v1/chassis/${chassis.uuid}`, {
        body: [{ op: 'replace', path: '/uuid', value: randomUUID() }],
      });
      expect(readOnly.status).toBe(400);
      expect(fault(readOnly)).toBe(
        'Cannot patch /uuid. Only the following can be updated: description, extra',
      );
      const badValue = await call('PATCH', `/v1/chassis/${chassis.uuid}`, {
        body: [{ op: 'replace', path: '/extra', value: [1] }],
      });
      expect(badValue.status).toBe(400);
      expect(fault(badValue)).toBe("Schema error for patch: [1] is not of type 'object', 'null'");
      const noValue = await call('PATCH', `/v1/chassis/${chassis.uuid}`, {
        body: [{ op: 'replace', path: '/description' }],
      });
      expect(noValue.status).toBe(400);
      expect(fault(noValue)).toMatch(/The operation does not contain a 'value' member$/);
      const move = await call('PATCH', `/v1/chassis/${chassis.uuid}`, {
        body: [{ op: 'move', from: '/extra', path: '/description' }],
      });
      expect(move.status).toBe(400);
      const missing = randomUUID();
      const unknown = await call('PATCH', `/v1/chassis/${missing}`, {
        body: [{ op: 'replace', path: '/description', value: 'x' }],
      });
      expect(unknown.status).toBe(404);
      expect(fault(unknown)).toBe(`Chassis ${missing} could not be found.`);
    });
  });

  describe('nodes in a chassis', () => {
    it('puts a node in a chassis on create and patch, lists it there, and keeps the chassis until it is empty', async () => {
      const chassis = await createChassis({ description: 'with nodes' });
      const created = await createNode({ chassis_uuid: chassis.uuid.toUpperCase() });
      expect(created.status, created.text).toBe(201);
      const node = created.body as { uuid: string; chassis_uuid: string | null };
      expect(node.chassis_uuid).toBe(chassis.uuid);
      expect((await call('GET', `/v1/nodes/${node.uuid}`)).body).toMatchObject({
        chassis_uuid: chassis.uuid,
      });

      const other = (await createNode()).body as { uuid: string; chassis_uuid: string | null };
      expect(other.chassis_uuid).toBeNull();
      const moved = await call('PATCH', `/v1/nodes/${other.uuid}`, {
        body: [{ op: 'add', path: '/chassis_uuid', value: chassis.uuid }],
      });
      expect(moved.status, moved.text).toBe(200);
      expect(moved.body).toMatchObject({ chassis_uuid: chassis.uuid });

      const inChassis = await call(
        'GET',
        `/v1/chassis/${chassis.uuid}/nodes?fields=uuid,chassis_uuid`,
      );
      expect(inChassis.status).toBe(200);
      const listed = (inChassis.body as { nodes: Record<string, unknown>[] }).nodes;
      expect(listed.map((n) => [n.uuid, n.chassis_uuid]).sort()).toEqual(
        [
          [node.uuid, chassis.uuid],
          [other.uuid, chassis.uuid],
        ].sort(),
      );
      const detail = await call('GET', `/v1/chassis/${chassis.uuid}/nodes/detail`);
      expect((detail.body as { nodes: unknown[] }).nodes).toHaveLength(2);
      const filtered = await call('GET', `/v1/nodes?chassis_uuid=${chassis.uuid}`);
      expect((filtered.body as { nodes: unknown[] }).nodes).toHaveLength(2);

      const refused = await call('DELETE', `/v1/chassis/${chassis.uuid}`);
      expect(refused.status).toBe(400);
      expect(fault(refused)).toBe(
        `Cannot complete the requested action because chassis ${chassis.uuid} contains nodes.`,
      );

      for (const uuid of [node.uuid, other.uuid]) {
        const out = await call('PATCH', `/v1/nodes/${uuid}`, {
          body: [{ op: 'remove', path: '/chassis_uuid' }],
        });
        expect(out.status, out.text).toBe(200);
        expect(out.body).toMatchObject({ chassis_uuid: null });
      }
      const empty = await call('GET', `/v1/chassis/${chassis.uuid}/nodes`);
      expect((empty.body as { nodes: unknown[] }).nodes).toEqual([]);
      expect((await call('DELETE', `/v1/chassis/${chassis.uuid}`)).status).toBe(204);
      expect((await call('GET', `/v1/chassis/${chassis.uuid}`)).status).toBe(404);
      const gone = await call('DELETE', `/v1/chassis/${chassis.uuid}`);
      expect(gone.status).toBe(404);
      expect(fault(gone)).toBe(`Chassis ${chassis.uuid} could not be found.`);
    });

    it('an unknown chassis is a 400 for a node, a 404 for its node list', async () => {
      const missing = randomUUID();
      const created = await createNode({ chassis_uuid: missing });
      expect(created.status).toBe(400);
      expect(fault(created)).toBe(`Chassis ${missing} could not be found.`);
      const node = (await createNode()).body as { uuid: string };
      const patched = await call('PATCH', `/v1/nodes/${node.uuid}`, {
        body: [{ op: 'replace', path: '/chassis_uuid', value: missing }],
      });
      expect(patched.status).toBe(400);
      expect(fault(patched)).toBe(`Chassis ${missing} could not be found.`);
      const malformed = await createNode({ chassis_uuid: 'rack' });
      expect(malformed.status).toBe(400);
      expect(fault(malformed)).toBe('Expected UUID for chassis_uuid: rack');
      const list = await call('GET', `/v1/chassis/${missing}/nodes`);
      expect(list.status).toBe(404);
      expect(fault(list)).toBe(`Chassis ${missing} could not be found.`);
    });
  });

  describe('with the baremetal CLI', () => {
    it('chassis create, list, show, set, delete, and node create --chassis-uuid', async () => {
      const created = (await baremetal(
        base,
        'chassis',
        'create',
        '--description',
        'cli rack',
        '--extra',
        'site=lab',
      )) as Chassis;
      expect(created).toMatchObject({ description: 'cli rack', extra: { site: 'lab' } });

      const listed = (await baremetal(base, 'chassis', 'list')) as Record<string, unknown>[];
      expect(listed).toContainEqual({ UUID: created.uuid, Description: 'cli rack' });

      await baremetalQuiet(base, 'chassis', 'set', created.uuid, '--description', 'cli rack 2');
      const shown = (await baremetal(base, 'chassis', 'show', created.uuid)) as Chassis;
      expect(shown).toMatchObject({ uuid: created.uuid, description: 'cli rack 2' });

      const node = (await baremetal(
        base,
        'node',
        'create',
        '--driver',
        'fake-hardware',
        '--chassis-uuid',
        created.uuid,
      )) as { uuid: string; chassis_uuid: string };
      expect(node.chassis_uuid).toBe(created.uuid);
      const nodes = (await baremetal(
        base,
        'chassis',
        'show',
        created.uuid,
        '--fields',
        'uuid',
      )) as Chassis;
      expect(nodes).toEqual({ uuid: created.uuid });

      await expect(baremetalQuiet(base, 'chassis', 'delete', created.uuid)).rejects.toThrow(
        /contains nodes/,
      );
      await baremetalQuiet(base, 'node', 'delete', node.uuid);
      await baremetalQuiet(base, 'chassis', 'delete', created.uuid);
      expect((await call('GET', `/v1/chassis/${created.uuid}`)).status).toBe(404);
    }, 180_000);
  });
});
