import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  innerError,
  sendHttp,
  startSplitMode,
  type HttpResult,
  type SplitMode,
} from '@galvanic/testing';

const HEADERS = { 'X-OpenStack-Ironic-API-Version': '1.82', 'Content-Type': 'application/json' };
const SECRET = 'S3cret-Never-Shown-42';
const WORKER_DIED = /api worker exited/;

/**
 * Input the API must refuse or handle without leaking: secrets read back through JSON Patch,
 * prototype pollution, values PostgreSQL would refuse, and malformed identifiers. Against a real
 * split-mode api with two worker processes, so a worker that dies shows in the supervisor's log.
 */
describe('api input hardening', () => {
  let cluster: SplitMode;
  let nodeUuid: string;
  let portUuid: string;

  /** Sends `body` as JSON, or as the raw text given (for keys JSON.stringify would not write). */
  const api = (method: string, path: string, body?: unknown): Promise<HttpResult> =>
    sendHttp(
      cluster.apiUrl,
      method,
      path,
      HEADERS,
      body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    );
  const fault = (result: HttpResult) => String(innerError(result.body).faultstring);
  const patchNode = (operations: unknown) => api('PATCH', `/v1/nodes/${nodeUuid}`, operations);

  beforeAll(async () => {
    cluster = await startSplitMode({ env: { GALVANIC_API__API_WORKERS: '2' } });
    const node = await api('POST', '/v1/nodes', {
      driver: 'fake-hardware',
      name: 'hardened',
      driver_info: { ipmi_password: SECRET, ipmi_username: 'admin' },
      extra: { rack: 'r1' },
    });
    expect(node.status, node.text).toBe(201);
    nodeUuid = (node.body as { uuid: string }).uuid;
    const port = await api('POST', '/v1/ports', {
      address: '52:54:00:aa:bb:01',
      node_uuid: nodeUuid,
      extra: { a: 1 },
    });
    expect(port.status, port.text).toBe(201);
    portUuid = (port.body as { uuid: string }).uuid;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  describe('masked secrets stay masked', () => {
    it('refuses move, copy and test on nodes in Ironic words, and changes nothing', async () => {
      const attempts = [
        [{ op: 'copy', from: '/driver_info/ipmi_password', path: '/extra/p' }],
        [{ op: 'move', from: '/driver_info/ipmi_password', path: '/description' }],
        [{ op: 'test', path: '/driver_info/ipmi_password', value: SECRET }],
        [{ op: 'test', path: '/driver_info/ipmi_password', value: 'wrong guess' }],
      ];
      const answers: string[] = [];
      for (const patch of attempts) {
        const result = await patchNode(patch);
        expect(result.status, result.text).toBe(400);
        expect(result.text).not.toContain(SECRET.slice(0, 8));
        answers.push(fault(result));
      }
      expect(answers[0]).toBe(
        "Schema error for patch: Additional properties are not allowed ('from' was unexpected)",
      );
      // A right and a wrong guess get the same answer: no oracle.
      expect(answers[2]).toBe(
        "Schema error for patch: 'test' is not one of ['add', 'replace', 'remove']",
      );
      expect(answers[3]).toBe(answers[2]);
      const shown = await api('GET', `/v1/nodes/${nodeUuid}`);
      expect(shown.body).toMatchObject({
        extra: { rack: 'r1' },
        description: null,
        driver_info: { ipmi_password: '******' },
      });
    });

    it('refuses move, copy and test on ports', async () => {
      for (const op of ['move', 'copy', 'test']) {
        const result = await api('PATCH', `/v1/ports/${portUuid}`, [
          { op, path: '/extra/a', value: 1 },
        ]);
        expect(result.status).toBe(400);
        expect(fault(result)).toBe(
          `Schema error for patch: '${op}' is not one of ['add', 'replace', 'remove']`,
        );
      }
    });

    it('no route that shows a node, or fails on one, shows the secret', async () => {
      const responses = [
        await api('GET', '/v1/nodes'),
        await api('GET', '/v1/nodes/detail'),
        await api('GET', '/v1/nodes?fields=driver_info,extra'),
        await api('GET', '/v1/nodes?detail=true'),
        await api('GET', `/v1/nodes/${nodeUuid}`),
        await api('GET', `/v1/nodes/${nodeUuid}?fields=driver_info`),
        await api('GET', `/v1/nodes/${nodeUuid}/states`),
        await api('GET', `/v1/nodes/${nodeUuid}/validate`),
        await patchNode([{ op: 'add', path: '/extra/seen', value: true }]),
        await patchNode([{ op: 'replace', path: '/driver_info/ipmi_password/x', value: 1 }]),
        await patchNode([{ op: 'remove', path: '/driver_info/ipmi_password/0' }]),
        await patchNode([{ op: 'replace', path: '/driver_info', value: 'not an object' }]),
        await api('POST', `/v1/nodes/${nodeUuid}/vendor_passthru?method=nope`, {}),
        await api('GET', `/v1/nodes/${nodeUuid}/vendor_passthru/methods`),
      ];
      for (const result of responses) {
        expect(result.status, result.text).toBeLessThan(500);
        expect(result.text).not.toContain(SECRET);
      }
      for (const child of cluster.processes) expect(child.output()).not.toContain(SECRET);
    });
    it('error messages quote client input with its secrets masked', async () => {
      const fresh = 'Just-Sent-Secret-9';
      const failing = [
        await patchNode([
          { op: 'add', path: '/driver_info/ipmi_password', value: fresh },
          { op: 'remove', path: '/extra/missing' },
        ]),
        await patchNode([
          { op: 'replace', path: '/driver_info', value: { redfish_password: fresh } },
          { op: 'replace', path: '/extra/missing/deeper', value: 1 },
        ]),
        await patchNode([{ op: 'replace', path: '/driver_info', value: [fresh] }]),
        await api('POST', '/v1/nodes', { driver: 'fake-hardware', driver_info: [fresh] }),
        await api('POST', '/v1/nodes', [{ driver_info: { ipmi_password: fresh } }]),
        await api('PATCH', `/v1/nodes/${nodeUuid}`, { ipmi_password: fresh }),
      ];
      for (const result of failing) {
        expect(result.status, result.text).toBe(400);
        expect(result.text).not.toContain(fresh);
      }
      expect(fault(failing[0]!)).toMatch(/^Couldn't apply patch .*"value":"\*{6}"/);
    });

    it('masks secrets however deep in driver_info they are', async () => {
      let driverInfo: Record<string, unknown> = { ipmi_password: SECRET };
      for (let level = 0; level < 40; level += 1) driverInfo = { [`level${level}`]: driverInfo };
      const created = await api('POST', '/v1/nodes', {
        driver: 'fake-hardware',
        driver_info: driverInfo,
      });
      expect(created.status, created.text).toBe(201);
      expect(created.text).not.toContain(SECRET);
      const uuid = (created.body as { uuid: string }).uuid;
      expect((await api('GET', `/v1/nodes/${uuid}`)).text).not.toContain(SECRET);
      expect((await api('GET', '/v1/nodes/detail')).text).not.toContain(SECRET);
      expect((await api('DELETE', `/v1/nodes/${uuid}`)).status).toBe(204);
    });
  });

  describe('prototype pollution', () => {
    it('refuses patch paths through __proto__, constructor and prototype; no worker dies', async () => {
      for (let round = 0; round < 3; round += 1) {
        for (const path of [
          '/extra/__proto__/k',
          '/extra/constructor/prototype/k',
          '/extra/prototype',
          '/driver_info/__proto__',
        ]) {
          const result = await patchNode([{ op: 'add', path, value: 1 }]);
          expect(result.status, `${path}: ${result.text}`).toBe(400);
          expect(fault(result)).toMatch(/^Schema error for patch: .* reserved name/);
        }
        const port = await api('PATCH', `/v1/ports/${portUuid}`, [
          { op: 'add', path: '/extra/__proto__/k', value: 1 },
        ]);
        expect(port.status).toBe(400);
      }
      // Every worker is still the one started: each answers, and none was replaced.
      for (let i = 0; i < 6; i += 1) expect((await api('GET', '/v1/nodes')).status).toBe(200);
      expect(cluster.api.output()).not.toMatch(WORKER_DIED);
      expect((await api('GET', `/v1/nodes/${nodeUuid}`)).body).toMatchObject({
        extra: { rack: 'r1', seen: true },
      });
    });

    it('refuses create bodies naming prototype members, in Ironic words', async () => {
      for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
        const node = await api('POST', '/v1/nodes', `{"driver": "fake-hardware", "${key}": {}}`);
        expect(node.status, node.text).toBe(400);
        expect(fault(node)).toBe(
          `Schema error for node: Additional properties are not allowed ('${key}' was unexpected)`,
        );
        const port = await api(
          'POST',
          '/v1/ports',
          `{"address": "52:54:00:aa:bb:99", "node_uuid": "${nodeUuid}", "${key}": {}}`,
        );
        expect(port.status, port.text).toBe(400);
        expect(fault(port)).toBe(
          `Schema error for port: Additional properties are not allowed ('${key}' was unexpected)`,
        );
      }
      const nested = await api(
        'POST',
        '/v1/nodes',
        '{"driver": "fake-hardware", "extra": {"__proto__": {"polluted": true}}}',
      );
      expect(nested.status).toBe(400);
      expect(fault(nested)).toBe("The request body uses the reserved key '__proto__'.");
      for (const fields of ['__proto__', 'constructor', 'toString']) {
        const result = await api('GET', `/v1/nodes/${nodeUuid}?fields=${fields}`);
        expect(result.status).toBe(400);
        expect(fault(result)).toBe(`Field(s) "${fields}" are not valid`);
      }
      const filter = await api('GET', '/v1/nodes?maintenance=constructor');
      expect(filter.status).toBe(400);
      expect(cluster.api.output()).not.toMatch(WORKER_DIED);
    });
  });

  describe('bad input is a 400 in Ironic words, never a 500 or PostgreSQL text', () => {
    const POSTGRES_WORDS = /character varying|violates|invalid input syntax|null character|0x00/i;

    const expectRefused = (result: HttpResult, faultstring: string | RegExp) => {
      expect(result.status, result.text).toBe(400);
      expect(result.text).not.toMatch(POSTGRES_WORDS);
      if (typeof faultstring === 'string') expect(fault(result)).toBe(faultstring);
      else expect(fault(result)).toMatch(faultstring);
    };

    it('refuses strings longer than Ironic takes', async () => {
      const name = 'n'.repeat(256);
      expectRefused(
        await api('POST', '/v1/nodes', { driver: 'fake-hardware', name }),
        `Cannot create node with invalid name '${name}'`,
      );
      const resourceClass = 'r'.repeat(81);
      expectRefused(
        await api('POST', '/v1/nodes', { driver: 'fake-hardware', resource_class: resourceClass }),
        `Schema error for node: '${resourceClass}' is too long`,
      );
      expectRefused(
        await patchNode([{ op: 'replace', path: '/resource_class', value: resourceClass }]),
        `Schema error for patch: '${resourceClass}' is too long`,
      );
      expectRefused(
        await patchNode([{ op: 'replace', path: '/owner', value: 'o'.repeat(256) }]),
        /is too long$/,
      );
      expectRefused(
        await patchNode([{ op: 'replace', path: '/name', value: name }]),
        `Cannot update node with invalid name '${name}'`,
      );
    });

    it('refuses NUL characters anywhere', async () => {
      const nul = /NUL character/;
      expectRefused(
        await api('POST', '/v1/nodes', { driver: 'fake-hardware', description: 'a\u0000b' }),
        nul,
      );
      expectRefused(
        await api('POST', '/v1/nodes', { driver: 'fake-hardware', extra: { 'k\u0000': 1 } }),
        nul,
      );
      expectRefused(await patchNode([{ op: 'add', path: '/extra/k', value: 'x\u0000' }]), nul);
      expectRefused(
        await api('PATCH', `/v1/ports/${portUuid}`, [
          { op: 'add', path: '/extra/k', value: '\u0000' },
        ]),
        nul,
      );
      expectRefused(await api('GET', '/v1/nodes?description_contains=%00'), nul);
    });

    it('refuses JSON nested deeper than the limit, whatever the route', async () => {
      const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
      const nested = /^The request body is nested more than \d+ levels deep\.$/;
      expectRefused(
        await api(
          'POST',
          '/v1/nodes',
          `{"driver": "fake-hardware", "extra": {"d": ${deep(6000)}}}`,
        ),
        nested,
      );
      expectRefused(
        await api(
          'PATCH',
          `/v1/nodes/${nodeUuid}`,
          `[{"op": "add", "path": "/extra/d", "value": ${deep(6000)}}]`,
        ),
        nested,
      );
      expectRefused(await api('PATCH', `/v1/nodes/${nodeUuid}`, deep(6000)), nested);
      expectRefused(await api('POST', '/v1/ports', deep(6000)), nested);
      expectRefused(
        await api('POST', `/v1/nodes/${nodeUuid}/vendor_passthru?method=first_method`, deep(6000)),
        nested,
      );
      // Depth within the limit is still fine.
      const fine = await patchNode([{ op: 'add', path: '/extra/d', value: JSON.parse(deep(20)) }]);
      expect(fine.status, fine.text).toBe(200);
    });

    it('refuses identifiers that are not UUIDs and values that are not booleans', async () => {
      expectRefused(await api('GET', '/v1/nodes?marker=x'), 'Expected UUID for marker: x');
      expectRefused(await api('GET', '/v1/nodes/detail?marker=x'), 'Expected UUID for marker: x');
      expectRefused(
        await api('GET', '/v1/nodes?instance_uuid=x'),
        'Expected UUID for instance_uuid: x',
      );
      expectRefused(
        await patchNode([{ op: 'replace', path: '/instance_uuid', value: 'x' }]),
        'Expected UUID for instance_uuid: x',
      );
      expectRefused(
        await patchNode([{ op: 'replace', path: '/automated_clean', value: 'maybe' }]),
        "Invalid automated_clean: Unrecognized value 'maybe', acceptable values are: " +
          "'0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'",
      );
      // oslo's words are booleans, as in Ironic.
      const words = await patchNode([{ op: 'replace', path: '/automated_clean', value: 'false' }]);
      expect(words.status, words.text).toBe(200);
      expect((words.body as { automated_clean: unknown }).automated_clean).toBe(false);
      expect(cluster.api.output()).not.toMatch(WORKER_DIED);
    });

    // JSON and query strings can carry an object whose `toString` is data: String() throws on it.
    it('refuses objects where a string belongs, even one whose toString key is data', async () => {
      const hostile = { toString: 'x' };
      const node = (path: string) => `/v1/nodes/${nodeUuid}/${path}`;
      expectRefused(
        await api('PUT', node('states/power'), { target: hostile }),
        "Expected string for target: {'toString': 'x'}",
      );
      expectRefused(
        await api('PUT', node('states/power'), { target: 5 }),
        'Expected string for target: 5',
      );
      expectRefused(
        await api('PUT', node('states/boot_mode'), { target: hostile }),
        /^Invalid boot mode \{'toString': 'x'\} requested for node/,
      );
      expectRefused(
        await api('PUT', node('maintenance'), { reason: hostile }),
        "Expected string for reason: {'toString': 'x'}",
      );
      const vif = await api('POST', node('vifs'), { id: hostile });
      expect(vif.status, vif.text).toBe(400);
      const provision = await api('PUT', node('states/provision'), { target: hostile });
      expect(provision.status, provision.text).toBe(400);
      expect(fault(provision)).toContain("{'toString': 'x'}");
      const lookup = await api('GET', '/v1/lookup?addresses[toString]=x&node_uuid[toString]=x');
      expect(lookup.status, lookup.text).toBeLessThan(500);
      expect(cluster.api.output()).not.toMatch(WORKER_DIED);
    });
  });
});
