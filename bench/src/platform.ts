import { silentLogger } from '@galvanic/logging';
import { AmqpTransport, RpcClient } from '@galvanic/rpc';
import {
  createTestDatabase,
  freePort,
  startService,
  TEST_AMQP_URL,
  TEST_RPC_MESSAGE_KEY,
  uniqueNamespace,
} from '@galvanic/testing';
import { createDataSource, migrate } from '@galvanic/db';
import { bareAmqpClient } from './bare-amqp-client';
import { BENCH_CONTRACT_VERSION, echoMethod } from './echo-method';
import { httpGetter } from './http-client';
import { measure, type WorkloadResult } from './stats';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
const PAYLOAD = 'x'.repeat(64);

/** Bare amqplib request/reply between two processes: the baseline. */
async function bareAmqp(): Promise<Record<string, WorkloadResult>> {
  const queue = `${uniqueNamespace('bench-bare')}`;
  const server = startService('bench/src/bare-amqp-server.ts', { args: [TEST_AMQP_URL, queue] });
  await server.waitFor(/ready/);
  const client = await bareAmqpClient(TEST_AMQP_URL, queue);
  try {
    const body = JSON.stringify({ node: 'n', payload: PAYLOAD });
    return {
      concurrency_1: await measure(() => client.call(body), 1, DURATION_MS),
      concurrency_32: await measure(() => client.call(body), 32, DURATION_MS),
    };
  } finally {
    await client.close();
    server.kill();
    await server.exited();
  }
}

/** Galvanic's RPC (schemas, deadlines, headers, routing by host) between two processes. */
async function galvanicRpc(): Promise<Record<string, WorkloadResult>> {
  const namespace = uniqueNamespace('bench-rpc');
  const server = startService('bench/src/rpc-echo-server.ts', {
    args: [TEST_AMQP_URL, namespace, 'bench-c1'],
    env: { BENCH_RPC_MESSAGE_KEY: TEST_RPC_MESSAGE_KEY },
  });
  await server.waitFor(/ready/);
  const transport = new AmqpTransport({
    url: TEST_AMQP_URL,
    namespace,
    logger: silentLogger(),
    messageKey: Buffer.from(TEST_RPC_MESSAGE_KEY),
  });
  const rpc = new RpcClient({
    transport: transport.client(),
    caller: 'bench',
    logger: silentLogger(),
    contractVersion: BENCH_CONTRACT_VERSION,
  });
  try {
    const call = () => rpc.call('bench-c1', echoMethod, { node: 'n', payload: PAYLOAD });
    return {
      concurrency_1: await measure(call, 1, DURATION_MS),
      concurrency_32: await measure(call, 32, DURATION_MS),
    };
  } finally {
    await rpc.close();
    await transport.close();
    server.kill();
    await server.exited();
  }
}

/** The api in split mode, with one conductor, on a database of its own. */
async function splitModeApi(): Promise<Record<string, WorkloadResult>> {
  const database = await createTestDatabase('galvanic_bench');
  const dataSource = createDataSource({ url: database.url });
  await dataSource.initialize();
  await migrate(dataSource);
  await dataSource.destroy();
  const namespace = uniqueNamespace('bench-api');
  const port = await freePort();
  const env = {
    DATABASE_URL: database.url,
    AMQP_URL: TEST_AMQP_URL,
    GALVANIC_DEFAULT__CONTROL_EXCHANGE: namespace,
    GALVANIC_API__PORT: String(port),
    GALVANIC_CONDUCTOR__STATUS_PORT: '0',
    GALVANIC_RPC__MESSAGE_KEY: TEST_RPC_MESSAGE_KEY,
  };
  const conductor = startService('services/conductor/src/main.ts', {
    env: { ...env, GALVANIC_DEFAULT__HOST: 'bench-c1' },
  });
  const api = startService('services/api/src/main.ts', {
    env: { ...env, GALVANIC_DEFAULT__HOST: 'bench-api' },
  });
  const client = httpGetter(`http://127.0.0.1:${port}`, 16, {
    'X-OpenStack-Ironic-API-Version': 'latest',
  });
  try {
    await Promise.all([conductor.waitFor(/conductor started/), api.waitFor(/api listening/)]);
    return {
      get_v1_concurrency_16: await measure(() => client.get('/v1'), 16, DURATION_MS),
      get_conductors_concurrency_16: await measure(
        () => client.get('/v1/conductors'),
        16,
        DURATION_MS,
      ),
      get_v1_concurrency_1: await measure(() => client.get('/v1'), 1, DURATION_MS),
    };
  } finally {
    client.close();
    for (const child of [api, conductor]) child.kill();
    await Promise.all([api.exited(), conductor.exited()]);
    await database.drop();
  }
}

export async function platformBenchmarks(): Promise<Record<string, unknown>> {
  const bare = await bareAmqp();
  const rpc = await galvanicRpc();
  const ratio = (name: string) =>
    Number((rpc[name]!.per_second / Math.max(1, bare[name]!.per_second)).toFixed(2));
  return {
    rpc_over_rabbitmq: {
      bare_amqplib: bare,
      galvanic: rpc,
      share_of_bare_rate: {
        concurrency_1: ratio('concurrency_1'),
        concurrency_32: ratio('concurrency_32'),
      },
    },
    api_split_mode: await splitModeApi(),
  };
}
