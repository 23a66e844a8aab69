import { describe, expect, it } from 'vitest';
import { silentLogger } from '@galvanic/logging';
import { ContractVersion, InProcessTransport, RpcClient, RpcServer } from '../src/index';
import { registerTestHandlers } from './fixtures/handlers';
import { echoMethod } from './fixtures/methods';
import { rejectionOf } from './helpers';

const logger = silentLogger();

/** A server speaking `serverVersion` and a client speaking `clientVersion`, in one process. */
async function pair(serverVersion: string, clientVersion: string) {
  const transport = new InProcessTransport();
  const server = new RpcServer({
    transport: transport.server('c1'),
    host: 'c1',
    logger,
    contractVersion: serverVersion,
  });
  const seen = registerTestHandlers(server);
  await server.start();
  const client = new RpcClient({
    transport: transport.client(),
    caller: 'api test',
    logger,
    contractVersion: clientVersion,
  });
  return { server, client, seen };
}

describe('the contract version in the envelope', () => {
  it('a server refuses, unrun and counted, a call of a major it does not speak, naming both versions', async () => {
    const { server, client, seen } = await pair('2.0', '1.4');
    const error = await rejectionOf(client.call('c1', echoMethod, { text: 'across majors' }));
    expect(error).toMatchObject({ kind: 'IncompatibleRpcContract', status: 500 });
    expect(error.message).toBe(
      'Conductor c1 speaks RPC contract 2.0 and refused a call that uses contract 1.4: ' +
        'major versions must match; the call was not run.',
    );
    expect(seen.echoed).toEqual([]);
    expect(server.metrics.incompatibleContractRefused).toBe(1);
    expect(server.metrics.calls).toBe(0);
  });

  it('a server of an older minor serves a client of a newer one, and the other way round', async () => {
    const older = await pair('1.0', '1.3');
    await expect(older.client.call('c1', echoMethod, { text: 'newer caller' })).resolves.toEqual(
      expect.objectContaining({ text: 'newer caller' }),
    );
    const newer = await pair('1.3', '1.0');
    await expect(newer.client.call('c1', echoMethod, { text: 'older caller' })).resolves.toEqual(
      expect.objectContaining({ text: 'older caller' }),
    );
    expect(older.server.metrics.incompatibleContractRefused).toBe(0);
    expect(newer.server.metrics.incompatibleContractRefused).toBe(0);
  });

  it('refuses a call that names no contract version', async () => {
    const transport = new InProcessTransport();
    const server = new RpcServer({
      transport: transport.server('c1'),
      host: 'c1',
      logger,
      contractVersion: '1.0',
    });
    registerTestHandlers(server);
    await server.start();
    const unversioned = await new Promise<string>((resolve) =>
      transport
        .client()
        .send(
          {
            target: 'c1',
            method: 'echo',
            body: JSON.stringify({ method: 'echo', args: { text: 'x' } }),
            requestId: 'req-1',
            caller: 'old api',
            deadline: Date.now() + 5_000,
            issuedAt: Date.now(),
            contractVersion: '',
          },
          new AbortController().signal,
        )
        .then(resolve),
    );
    expect(JSON.parse(unversioned)).toMatchObject({ error: { kind: 'IncompatibleRpcContract' } });
    expect(server.metrics.incompatibleContractRefused).toBe(1);
  });

  it('takes only major.minor versions', () => {
    expect(ContractVersion.parse('1.12').toString()).toBe('1.12');
    for (const bad of ['1', '1.0.0', 'v1.0', '01.0', '', '1.x']) {
      expect(ContractVersion.tryParse(bad)).toBeUndefined();
    }
    expect(
      () =>
        new RpcClient({
          transport: new InProcessTransport().client(),
          caller: 'api test',
          logger,
          contractVersion: 'one',
        }),
    ).toThrow('Not an RPC contract version (major.minor): one');
    expect(ContractVersion.parse('1.2').interoperatesWith('1.9')).toBe(true);
    expect(ContractVersion.parse('1.2').interoperatesWith('2.2')).toBe(false);
    expect(ContractVersion.parse('1.2').interoperatesWith(null)).toBe(false);
  });
});
