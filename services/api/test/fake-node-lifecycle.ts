import { expect } from 'vitest';
import { apiRequest, type ApiRequestOptions } from '@galvanic/testing';

export type NodeBody = Record<string, unknown> & { provision_state: string };

/** Requests and waits for provisioning of fake-hardware nodes at one microversion (tests only). */
export class FakeNodeLifecycle {
  constructor(
    private readonly base: () => string,
    private readonly minor: number,
  ) {}

  call(method: string, path: string, options: ApiRequestOptions = {}) {
    return apiRequest(this.base(), method, path, { minor: this.minor, ...options });
  }

  async node(name: string, minor = this.minor): Promise<NodeBody> {
    return (await this.call('GET', `/v1/nodes/${name}`, { minor })).body as NodeBody;
  }

  settles(name: string, state: string) {
    return expect
      .poll(async () => (await this.node(name)).provision_state, {
        timeout: 30_000,
        interval: 100,
      })
      .toBe(state);
  }

  provision(name: string, body: Record<string, unknown>, minor = this.minor) {
    return this.call('PUT', `/v1/nodes/${name}/states/provision`, { minor, body });
  }

  /** Creates a fake-hardware node and takes it through `path`: each target and the state it ends in. */
  async create(name: string, path: readonly (readonly [string, string])[]): Promise<void> {
    const created = await this.call('POST', '/v1/nodes', {
      body: { driver: 'fake-hardware', name },
    });
    expect(created.status, created.text).toBe(201);
    for (const [target, state] of path) {
      const moved = await this.provision(name, { target });
      expect(moved.status, moved.text).toBe(202);
      await this.settles(name, state);
    }
  }
}

/** The way to `active`. */
export const TO_ACTIVE = [
  ['manage', 'manageable'],
  ['provide', 'available'],
  ['active', 'active'],
] as const;
