import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedfishClientCache } from '../src/index';
import type { RedfishClientOptions } from '../src/index';
import { BMC_PASSWORD, BMC_USER, FakeBmc, json } from './support/fake-bmc';
import { SYSTEM } from './support/mockup';

let bmc: FakeBmc;
let cache: RedfishClientCache;

beforeEach(async () => {
  bmc = await FakeBmc.start();
  cache = new RedfishClientCache({ maxClients: 2, defaults: { retries: 0 } });
});

afterEach(async () => {
  await cache.close();
  await bmc.close();
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('condition not reached');
}

const options = (extra: Partial<RedfishClientOptions> = {}): RedfishClientOptions => ({
  address: bmc.url,
  username: BMC_USER,
  password: BMC_PASSWORD,
  authType: 'session',
  ...extra,
});

describe('RedfishClientCache', () => {
  it('keeps one client per (address, username, auth type, verify)', async () => {
    const a = cache.get(options());
    expect(cache.get(options())).toBe(a);
    expect(cache.get(options({ authType: 'basic' }))).not.toBe(a);
    await a.get(SYSTEM);
    await cache.get(options()).get(SYSTEM);
    expect(bmc.tokensIssued).toHaveLength(1);
  });

  it('replaces a client whose password changed, closing the old one', async () => {
    const old = cache.get(options());
    await old.get(SYSTEM);
    const replaced = cache.get(options({ password: 'rotated-password' }));
    expect(replaced).not.toBe(old);
    await new Promise((r) => setTimeout(r, 50));
    expect(old.closed).toBe(true);
    expect(bmc.sessions.size).toBe(0);
    expect(cache.size).toBe(1);
  });

  it('closes the least recently used client beyond maxClients', async () => {
    const first = cache.get(options());
    const second = cache.get(options({ authType: 'basic' }));
    cache.get(options()); // first is now the most recently used
    cache.get(options({ authType: 'auto' }));
    expect(second.closed).toBe(true);
    expect(first.closed).toBe(false);
    expect(cache.size).toBe(2);
  });

  it('gives clients of one BMC a shared pool and in-flight bound', async () => {
    await cache.close();
    cache = new RedfishClientCache({ defaults: { maxInFlight: 2 } });
    const held: Array<() => void> = [];
    bmc.intercept((req, res) => {
      if (req.path !== SYSTEM) return false;
      held.push(() => json(res, 200, bmc.docs.get(SYSTEM)));
      return true;
    });
    const asRoot = cache.get(options({ authType: 'basic' }));
    const asOperator = cache.get(options({ authType: 'basic', username: 'operator' }));
    expect(asOperator).not.toBe(asRoot);
    const all = Promise.allSettled([
      ...Array.from({ length: 3 }, () => asRoot.get(SYSTEM)),
      ...Array.from({ length: 3 }, () => asOperator.get(SYSTEM)),
    ]);
    await until(() => held.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(held).toHaveLength(2);
    for (let released = 0; released < 6; released++) {
      await until(() => held.length > released);
      held[released]!();
    }
    await all;
    expect(bmc.maxInFlight).toBe(2);
    expect(bmc.connections).toBeLessThanOrEqual(2);
  });

  it('closes every client and deletes their sessions on close', async () => {
    const client = cache.get(options());
    await client.get(SYSTEM);
    expect(bmc.sessions.size).toBe(1);
    await cache.close();
    expect(client.closed).toBe(true);
    expect(bmc.sessions.size).toBe(0);
    expect(() => cache.get(options())).toThrow(/closed/);
  });
});
