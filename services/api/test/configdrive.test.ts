/** Ironic's checks of a deploy's `configdrive`: JSON objects from 1.56, vendor_data from 1.59. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  createInProcess,
  innerError,
  type InProcessEnvironment,
} from '@galvanic/testing';

describe('configdrive in a deploy request', () => {
  let env: InProcessEnvironment;
  const api = (method: string, path: string, minor: number, body?: unknown) =>
    apiRequest(env.apiUrl, method, path, { minor, ...(body === undefined ? {} : { body }) });
  const refusal = async (minor: number, configdrive: unknown) => {
    const answer = await api('PUT', '/v1/nodes/cd/states/provision', minor, {
      target: 'active',
      configdrive,
    });
    expect(answer.status, answer.text).toBe(400);
    return innerError(answer.body).faultstring;
  };

  beforeAll(async () => {
    env = await createInProcess({ database: 'shared' });
    const created = await api('POST', '/v1/nodes', 60, { name: 'cd', driver: 'fake-hardware' });
    expect(created.status, created.text).toBe(201);
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('takes a JSON object only from 1.56, and vendor_data in it only from 1.59', async () => {
    expect(await refusal(55, { meta_data: { name: 'a' } })).toBe(
      'Providing a JSON object for configdrive is only supported starting with API version 1.56',
    );
    expect(await refusal(58, { vendor_data: { a: 1 } })).toBe(
      'Providing vendor_data in configdrive is only supported starting with API version 1.59',
    );
  });

  it('refuses keys and types outside Ironic’s schema', async () => {
    expect(await refusal(60, { meta_data: 'not an object' })).toMatch(
      /^Invalid configdrive format: /,
    );
    expect(await refusal(60, { hostname: 'x' })).toMatch(/^Invalid configdrive format: /);
    expect(await refusal(60, 42)).toMatch(/^Invalid configdrive format: /);
  });

  it('is only for deploy and rebuild', async () => {
    const answer = await api('PUT', '/v1/nodes/cd/states/provision', 60, {
      target: 'manage',
      configdrive: { meta_data: {} },
    });
    expect(answer.status).toBe(400);
    expect(innerError(answer.body).faultstring).toContain(
      'Adding a config drive is only supported',
    );
  });
});
