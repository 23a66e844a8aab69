import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConductorRecord, ConductorStore } from '@galvanic/db';
import { NodeOwnerChanged, ServiceUnavailable } from '@galvanic/errors';
import { silentLogger } from '@galvanic/logging';
import {
  defineRpcMethod,
  HashRing,
  InProcessTransport,
  RpcClient,
  RpcServer,
  type RpcCallContext,
} from '@galvanic/rpc';
import { ConductorDirectory, NodeOwnerCalls } from '../src';

const logger = silentLogger();

const CONTRACT_VERSION = '1.0';

const actMethod = defineRpcMethod(
  'act',
  z.strictObject({ node_uuid: z.string(), behaviour: z.string() }),
  z.object({ host: z.string() }),
);

function record(hostname: string): ConductorRecord {
  return {
    hostname,
    conductorGroup: '',
    drivers: ['fake-hardware'],
    contractVersion: CONTRACT_VERSION,
    alive: true,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
}

/** Membership the test changes at will, as the conductors table would. */
class Membership {
  hosts: string[] = ['c1', 'c2'];
  store(): ConductorStore {
    return {
      listAlive: async () => this.hosts.map(record),
      listAliveInterfaces: async () => [],
    } as unknown as ConductorStore;
  }
}

/** A node uuid that c1 owns on the ring of c1 and c2. */
function nodeOwnedByC1(): string {
  const ring = new HashRing(['c1', 'c2']);
  for (;;) {
    const uuid = randomUUID();
    if (ring.get(uuid) === 'c1') return uuid;
  }
}

interface Seen {
  host: string;
  issuedAt: number;
}

/**
 * Conductors in process: each answers `act` as `behaviour` says for it ("owner-changed:c1" makes
 * c1 refuse as no longer the owner; "sleep:c1" makes it outlast the caller; "unavailable:c1" a
 * plain 503) and records every call that reached a handler.
 */
async function cluster(hosts: readonly string[]) {
  const transport = new InProcessTransport();
  const seen: Seen[] = [];
  const servers = new Map<string, RpcServer>();
  for (const host of hosts) {
    const server = new RpcServer({
      transport: transport.server(host),
      host,
      logger,
      contractVersion: CONTRACT_VERSION,
    });
    server.register(actMethod, async ({ node_uuid, behaviour }, ctx: RpcCallContext) => {
      seen.push({ host, issuedAt: ctx.issuedAt });
      if (behaviour.includes(`owner-changed:${host}`)) throw new NodeOwnerChanged(host, node_uuid);
      if (behaviour.includes(`unavailable:${host}`)) throw new ServiceUnavailable('busy');
      if (behaviour.includes(`sleep:${host}`)) await sleep(500);
      return { host };
    });
    await server.start();
    servers.set(host, server);
  }
  const rpc = new RpcClient({
    transport: transport.client(),
    caller: 'api:test',
    logger,
    contractVersion: CONTRACT_VERSION,
  });
  return { seen, servers, rpc };
}

async function directoryOf(membership: Membership): Promise<ConductorDirectory> {
  const directory = new ConductorDirectory(membership.store(), 60_000, logger, CONTRACT_VERSION);
  await directory.refresh();
  return directory;
}

const node = (uuid: string) => ({ uuid, driver: 'fake-hardware', conductor_group: '' });

describe('NodeOwnerCalls: a node call that provably did not run goes once more to the new owner', () => {
  it('resends to the new owner when the old one answers NodeOwnerChanged, keeping the issue time', async () => {
    const membership = new Membership();
    const { seen, rpc } = await cluster(['c1', 'c2']);
    const calls = new NodeOwnerCalls(await directoryOf(membership), rpc, logger);
    const uuid = nodeOwnedByC1();
    membership.hosts = ['c2']; // c1 left; the api's cached view does not know yet
    const result = await calls.call(node(uuid), actMethod, {
      node_uuid: uuid,
      behaviour: 'owner-changed:c1',
    });
    expect(result).toEqual({ host: 'c2' });
    expect(seen.map((s) => s.host)).toEqual(['c1', 'c2']);
    expect(seen[1]!.issuedAt).toBe(seen[0]!.issuedAt);
  });

  it("resends to the new owner when the old owner's queue is gone", async () => {
    const membership = new Membership();
    const { seen, servers, rpc } = await cluster(['c1', 'c2']);
    const calls = new NodeOwnerCalls(await directoryOf(membership), rpc, logger);
    const uuid = nodeOwnedByC1();
    await servers.get('c1')!.close();
    membership.hosts = ['c2'];
    const result = await calls.call(node(uuid), actMethod, { node_uuid: uuid, behaviour: '' });
    expect(result).toEqual({ host: 'c2' });
    expect(seen.map((s) => s.host)).toEqual(['c2']);
  });

  it('does not resend when the owner is still the same after reading membership again', async () => {
    const membership = new Membership();
    const { seen, servers, rpc } = await cluster(['c1', 'c2']);
    const calls = new NodeOwnerCalls(await directoryOf(membership), rpc, logger);
    const uuid = nodeOwnedByC1();
    await servers.get('c1')!.close();
    await expect(
      calls.call(node(uuid), actMethod, { node_uuid: uuid, behaviour: '' }),
    ).rejects.toMatchObject({ kind: 'RpcUnreachable' });
    expect(seen).toEqual([]);
  });

  it('never resends after a timeout, where the call may have run', async () => {
    const membership = new Membership();
    const { seen, rpc } = await cluster(['c1', 'c2']);
    const calls = new NodeOwnerCalls(await directoryOf(membership), rpc, logger);
    const uuid = nodeOwnedByC1();
    membership.hosts = ['c2'];
    await expect(
      calls.call(
        node(uuid),
        actMethod,
        { node_uuid: uuid, behaviour: 'sleep:c1' },
        { timeoutMs: 100 },
      ),
    ).rejects.toMatchObject({ kind: 'RpcTimeout' });
    await sleep(600);
    expect(seen.map((s) => s.host)).toEqual(['c1']);
  });

  it('never resends after another error, even a 503', async () => {
    const membership = new Membership();
    const { seen, rpc } = await cluster(['c1', 'c2']);
    const calls = new NodeOwnerCalls(await directoryOf(membership), rpc, logger);
    const uuid = nodeOwnedByC1();
    membership.hosts = ['c2'];
    await expect(
      calls.call(node(uuid), actMethod, { node_uuid: uuid, behaviour: 'unavailable:c1' }),
    ).rejects.toMatchObject({ kind: 'ServiceUnavailable' });
    expect(seen.map((s) => s.host)).toEqual(['c1']);
  });

  it('sends at most four times, however often the owner refuses', async () => {
    const membership = new Membership();
    const { seen, rpc } = await cluster(['c1', 'c2']);
    const calls = new NodeOwnerCalls(await directoryOf(membership), rpc, logger);
    const uuid = nodeOwnedByC1();
    membership.hosts = ['c2'];
    await expect(
      calls.call(node(uuid), actMethod, {
        node_uuid: uuid,
        behaviour: 'owner-changed:c1 owner-changed:c2',
      }),
    ).rejects.toMatchObject({ kind: 'NodeOwnerChanged' });
    expect(seen.map((s) => s.host)).toEqual(['c1', 'c2', 'c2', 'c2']);
  });

  it('resends when a conductor answers that it is leaving the cluster', async () => {
    const membership = new Membership();
    const { seen, servers, rpc } = await cluster(['c1', 'c2']);
    const calls = new NodeOwnerCalls(await directoryOf(membership), rpc, logger);
    const uuid = nodeOwnedByC1();
    // c1 got SIGTERM: it left membership and refuses what still reaches it while it drains.
    membership.hosts = ['c2'];
    const draining = servers.get('c1')!.drain(5_000);
    const result = await calls.call(node(uuid), actMethod, { node_uuid: uuid, behaviour: '' });
    expect(result).toEqual({ host: 'c2' });
    expect(seen.map((s) => s.host)).toEqual(['c2']);
    await draining;
  });
});
