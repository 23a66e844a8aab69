import { silentLogger } from '@galvanic/logging';
import { AmqpTransport, RpcServer } from '@galvanic/rpc';
import { BENCH_CONTRACT_VERSION, echoMethod } from './echo-method';

/** Child process: a Galvanic RpcServer answering the echo method over RabbitMQ. */
const [url, namespace, host] = process.argv.slice(2) as [string, string, string];
const logger = silentLogger();
// Signed as in a deployment, so the figures include authentication; the key comes by environment.
const key = process.env.BENCH_RPC_MESSAGE_KEY;
const transport = new AmqpTransport({
  url,
  namespace,
  logger,
  messageKey: key ? Buffer.from(key) : undefined,
});
const server = new RpcServer({
  transport: transport.server(host, { prefetch: 256 }),
  host,
  logger,
  contractVersion: BENCH_CONTRACT_VERSION,
});
server.register(echoMethod, async (args) => args);
await server.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void server
    .close()
    .then(() => transport.close())
    .then(() => process.exit(0));
});
