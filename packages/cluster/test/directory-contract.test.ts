import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConductorRecord, ConductorStore, EnabledInterface } from '@galvanic/db';
import { silentLogger } from '@galvanic/logging';
import { ConductorDirectory } from '../src';

function conductor(hostname: string, contractVersion: string | null): ConductorRecord {
  return {
    hostname,
    conductorGroup: '',
    drivers: ['fake-hardware'],
    contractVersion,
    alive: true,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
}

function powerInterface(hostname: string, name: string): EnabledInterface & { hostname: string } {
  return {
    hostname,
    hardwareType: 'fake-hardware',
    interfaceType: 'power',
    interfaceName: name,
    isDefault: true,
  };
}

/** A directory at `version` over live conductors as the conductors table would list them. */
async function directoryAt(
  version: string,
  conductors: ConductorRecord[],
  interfaces: (EnabledInterface & { hostname: string })[] = [],
): Promise<ConductorDirectory> {
  const store = {
    listAlive: async () => conductors,
    listAliveInterfaces: async () => interfaces,
  } as unknown as ConductorStore;
  const directory = new ConductorDirectory(store, 60_000, silentLogger(), version);
  await directory.refresh();
  return directory;
}

describe('ConductorDirectory routes only to conductors of its contract major', () => {
  it('leaves conductors of another major, or of none, out of every ring and of the driver calls', async () => {
    const directory = await directoryAt('1.3', [
      conductor('c-older-minor', '1.0'),
      conductor('c-same', '1.3'),
      conductor('c-next-major', '2.0'),
      conductor('c-unversioned', null),
    ]);
    expect(directory.alive().map((c) => c.hostname)).toEqual(['c-older-minor', 'c-same']);
    const owners = new Set<string>();
    for (let i = 0; i < 200; i += 1)
      owners.add(directory.hostForNode(randomUUID(), 'fake-hardware'));
    expect([...owners].sort()).toEqual(['c-older-minor', 'c-same']);
    const driverHosts = new Set<string>();
    for (let i = 0; i < 8; i += 1) driverHosts.add(directory.hostForDriver('fake-hardware'));
    expect([...driverHosts].sort()).toEqual(['c-older-minor', 'c-same']);
  });

  it('takes the interfaces of routed conductors only', async () => {
    const directory = await directoryAt(
      '1.0',
      [conductor('c1', '1.0'), conductor('c2', '2.0')],
      [powerInterface('c1', 'fake'), powerInterface('c2', 'redfish')],
    );
    expect(directory.interfacesOf('fake-hardware')?.get('power')).toEqual({
      enabled: ['fake'],
      default: 'fake',
    });
  });

  it('with no conductor of its major, throws NoValidHost naming the others and their versions', async () => {
    const directory = await directoryAt('1.0', [conductor('c2', '2.0'), conductor('c-old', null)]);
    const reason =
      " Live conductors that speak another RPC contract than 1.x (this service's 1.0) get no " +
      'calls: c2 (2.0), c-old (no contract version).';
    expect(() => directory.hostForNode(randomUUID(), 'fake-hardware')).toThrow(
      'No valid host was found. Reason: No conductor service registered which supports driver ' +
        `fake-hardware for conductor group "".${reason}`,
    );
    expect(() => directory.anyHost()).toThrow(
      `No valid host was found. Reason: No conductor service is alive.${reason}`,
    );
    expect(() => directory.hostForDriver('fake-hardware')).toThrow(
      expect.objectContaining({ kind: 'NoValidHost', status: 503 }),
    );
  });
});
