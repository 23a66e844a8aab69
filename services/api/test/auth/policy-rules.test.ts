import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@galvanic/logging';
import { createInProcess } from '@galvanic/testing';
import { noauthExposureWarning } from '../../src/service';
import { isPublicRoute } from '../../src/auth/public-routes';
import { HtpasswdUsers, UserFileError } from '../../src/auth/htpasswd';
import { FailedLogins } from '../../src/auth/failed-logins';
import { parseCheck, PolicySyntaxError } from '../../src/policy/check-language';
import { PolicyEnforcer } from '../../src/policy/enforcer';
import { NODE_POLICY, nodePatchRules } from '../../src/controllers/nodes/policy';
import { GENERIC_RULES } from '../../src/policy/base-rules';

const folder = mkdtempSync(join(tmpdir(), 'galvanic-policy-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const enforcer = new PolicyEnforcer(
  { ...GENERIC_RULES, ...NODE_POLICY.rules },
  true,
  silentLogger(),
);
const system = (roles: string[]) => ({ roles, system_scope: 'all', project_id: null });
const project = (id: string, roles: string[]) => ({ roles, project_id: id, system_scope: null });
const node = { 'node.owner': 'A', 'node.lessee': 'L' };

describe("Ironic's default node rules", () => {
  it('give system readers, owners and lessees their views', () => {
    expect(enforcer.check('baremetal:node:get', system(['reader']), node)).toBe(true);
    expect(enforcer.check('baremetal:node:get', project('A', ['reader']), node)).toBe(true);
    expect(enforcer.check('baremetal:node:get', project('L', ['reader']), node)).toBe(true);
    expect(
      enforcer.check('baremetal:node:get', project('B', ['admin', 'member', 'reader']), node),
    ).toBe(false);
    expect(enforcer.check('baremetal:node:list_all', project('A', ['admin']), node)).toBe(false);
  });

  it('let a lessee member power the node but only its owner change driver_info', () => {
    const lessee = project('L', ['member', 'reader']);
    const owner = project('A', ['member', 'reader']);
    expect(enforcer.check('baremetal:node:set_power_state', lessee, node)).toBe(true);
    expect(enforcer.check('baremetal:node:update:driver_info', lessee, node)).toBe(false);
    expect(enforcer.check('baremetal:node:update:driver_info', owner, node)).toBe(true);
    expect(enforcer.check('baremetal:node:get:driver_info', lessee, node)).toBe(false);
    expect(enforcer.check('baremetal:node:delete', owner, node)).toBe(false);
    expect(enforcer.check('baremetal:node:delete', system(['admin']), node)).toBe(true);
    // An unowned node matches nobody's project, even a caller without one.
    const unowned = { 'node.owner': null, 'node.lessee': null };
    expect(enforcer.check('baremetal:node:get', { roles: ['reader'] }, unowned)).toBe(false);
  });

  it('pick the rules of a patch path by path, as Ironic does', () => {
    const patch = (paths: string[]) =>
      nodePatchRules({ body: paths.map((path) => ({ op: 'add', path, value: 1 })) } as never);
    expect(patch(['/driver_info/ipmi_password'])).toEqual(['baremetal:node:update:driver_info']);
    expect(patch(['/extra/x', '/description'])).toEqual([
      'baremetal:node:update_extra',
      'baremetal:node:update',
    ]);
    expect(patch(['/power_interface'])).toEqual(['baremetal:node:update:driver_interfaces']);
    const disable = nodePatchRules({
      body: [{ op: 'replace', path: '/automated_clean', value: 'false' }],
    } as never);
    expect(disable).toEqual(['baremetal:node:disable_cleaning']);
    const enable = nodePatchRules({
      body: [{ op: 'replace', path: '/automated_clean', value: true }],
    } as never);
    expect(enable).toEqual(['baremetal:node:update']);
    expect(patch([])).toEqual(['baremetal:node:update']);
  });
});

describe("oslo.policy's check language", () => {
  const check = (text: string, credentials: Record<string, unknown>, target = {}) =>
    new PolicyEnforcer({ rule: text, other: 'role:x' }, true, silentLogger()).check(
      'rule',
      credentials,
      target,
    );

  it('reads and, or, not, parentheses, @, ! and rule references', () => {
    expect(check('', {})).toBe(true);
    expect(check('@', {})).toBe(true);
    expect(check('!', { roles: ['admin'] })).toBe(false);
    expect(check('role:admin or (role:x and not role:y)', { roles: ['x'] })).toBe(true);
    expect(check('role:admin or (role:x and not role:y)', { roles: ['x', 'y'] })).toBe(false);
    expect(check('rule:other', { roles: ['X'] })).toBe(true);
    expect(check('project_id:%(node.owner)s', { project_id: 'A' }, { 'node.owner': 'A' })).toBe(
      true,
    );
    expect(check('project_id:%(node.owner)s', { project_id: 'A' }, {})).toBe(false);
    expect(check("'literal':%(kind)s", {}, { kind: 'literal' })).toBe(true);
  });

  it('refuses text oslo.policy would not parse', () => {
    expect(() => parseCheck('role:a and (role:b')).toThrow(PolicySyntaxError);
    expect(() => parseCheck('role:a or or role:b')).toThrow(PolicySyntaxError);
    expect(() => parseCheck('justaword')).toThrow(PolicySyntaxError);
  });
});

describe('the policy file', () => {
  it('overrides rules and keeps the rules in force when it turns unreadable', async () => {
    const file = join(folder, 'policy.yaml');
    writeFileSync(file, '"baremetal:node:get": "role:auditor"\n');
    const overridden = new PolicyEnforcer(NODE_POLICY.rules, true, silentLogger(), file);
    expect(overridden.check('baremetal:node:get', system(['reader']), node)).toBe(false);
    expect(overridden.check('baremetal:node:get', { roles: ['auditor'] }, node)).toBe(true);
    writeFileSync(file, '"baremetal:node:get": "role:auditor and (\n');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(overridden.check('baremetal:node:get', { roles: ['auditor'] }, node)).toBe(true);
    expect(() => new PolicyEnforcer(NODE_POLICY.rules, true, silentLogger(), file)).toThrow(
      /policy file/,
    );
  });
});

describe('http_basic users', () => {
  it('accept bcrypt entries only and check passwords', async () => {
    const file = join(folder, 'htpasswd');
    execFileSync('htpasswd', ['-cbB', file, 'u1', 'p1'], { stdio: 'ignore' });
    const users = new HtpasswdUsers(file);
    expect(await users.verify('u1', 'p1')).toBe(true);
    expect(await users.verify('u1', 'p2')).toBe(false);
    expect(await users.verify('u2', 'p1')).toBe(false);
    const md5 = join(folder, 'htpasswd-md5');
    execFileSync('htpasswd', ['-cbm', md5, 'u1', 'p1'], { stdio: 'ignore' });
    expect(() => new HtpasswdUsers(md5)).toThrow(UserFileError);
    expect(() => new HtpasswdUsers(join(folder, 'missing'))).toThrow(/Problem reading/);
  });

  it('count failures per client in a window', () => {
    let now = 0;
    const failures = new FailedLogins(2, 10_000, () => now);
    failures.record('a');
    failures.record('a');
    expect(failures.retryAfter('a')).toBe(10);
    expect(failures.retryAfter('b')).toBe(0);
    now = 10_001;
    expect(failures.retryAfter('a')).toBe(0);
  });
});

describe('public routes and the noauth warning', () => {
  it("are Ironic's: root, version, lookup, heartbeat and continue_inspection", () => {
    for (const path of ['/', '/v1', '/v1/', '/v1/lookup', '/v1/heartbeat/abc-123'])
      expect(isPublicRoute(path), path).toBe(true);
    for (const path of ['/v1/nodes', '/v1/heartbeat', '/v1/heartbeat/a/b', '/v1/lookupx'])
      expect(isPublicRoute(path), path).toBe(false);
  });

  it('warns when noauth listens beyond loopback, and only then', () => {
    expect(noauthExposureWarning('noauth', '0.0.0.0')).toMatch(
      /noauth.*0\.0\.0\.0.*beyond loopback/,
    );
    expect(noauthExposureWarning('noauth', '::')).toMatch(/beyond loopback/);
    expect(noauthExposureWarning('noauth', '192.0.2.10')).toMatch(/beyond loopback/);
    expect(noauthExposureWarning('noauth', '127.0.0.1')).toBeUndefined();
    expect(noauthExposureWarning('noauth', '::1')).toBeUndefined();
    expect(noauthExposureWarning('http_basic', '0.0.0.0')).toBeUndefined();
    expect(noauthExposureWarning('keystone', '0.0.0.0')).toBeUndefined();
  });

  it('is not printed by an all-in-one stack on loopback', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
    const env = await createInProcess({ logStream: stream, logLevel: 'warn' });
    await env.teardown();
    expect(lines.join('')).not.toContain('beyond loopback');
  }, 120_000);
});
