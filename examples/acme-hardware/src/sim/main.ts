/**
 * Runs acme-sim in the foreground: `pnpm --filter acme-galvanic-driver sim -- --port 8686
 * --chassis rack1-u01,rack1-u02 [--password secret]`.
 */
import { parseArgs } from 'node:util';
import { startAcmeSim } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8686' },
    host: { type: 'string', default: '127.0.0.1' },
    chassis: { type: 'string', default: 'chassis-1' },
    password: { type: 'string' },
  },
});

const sim = await startAcmeSim({
  port: Number(values.port),
  host: values.host,
  chassis: values.chassis.split(','),
  password: values.password,
});
console.log(`acme-sim listening on ${sim.url}`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
