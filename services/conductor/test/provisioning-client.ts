import { expect } from 'vitest';
import { sendHttp, type HttpResult, type InProcessEnvironment } from '@galvanic/testing';

export interface NodeBody {
  uuid: string;
  provision_state: string;
  target_provision_state: string | null;
  last_error: string | null;
  clean_step: Record<string, unknown>;
  deploy_step: Record<string, unknown>;
  instance_info: Record<string, unknown>;
  driver_internal_info: Record<string, unknown>;
}

/** HTTP calls and waits the provisioning tests share, at an explicit API microversion. */
export function provisioningClient(environment: () => InProcessEnvironment, defaultMinor: number) {
  const api = (
    method: string,
    path: string,
    body?: unknown,
    minor = defaultMinor,
  ): Promise<HttpResult> =>
    sendHttp(
      environment().apiUrl,
      method,
      path,
      { 'X-OpenStack-Ironic-API-Version': `1.${minor}`, 'Content-Type': 'application/json' },
      body === undefined ? undefined : JSON.stringify(body),
    );
  const node = async (ident: string) => (await api('GET', `/v1/nodes/${ident}`)).body as NodeBody;
  const provision = async (ident: string, body: Record<string, unknown>) =>
    expect((await api('PUT', `/v1/nodes/${ident}/states/provision`, body)).status).toBe(202);
  const settles = async (ident: string, state: string) =>
    expect
      .poll(async () => (await node(ident)).provision_state, { timeout: 20_000, interval: 50 })
      .toBe(state);
  const manageable = async (name: string, fields: Record<string, unknown> = {}) => {
    expect(
      (await api('POST', '/v1/nodes', { driver: 'fake-hardware', name, ...fields })).status,
    ).toBe(201);
    await provision(name, { target: 'manage' });
    await settles(name, 'manageable');
  };
  return { api, node, provision, settles, manageable };
}
