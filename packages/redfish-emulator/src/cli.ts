/**
 * `pnpm redfish-emulator --systems 100 --port 8000 [--tls] ...`: runs an emulator until SIGINT or
 * SIGTERM, printing where it listens and how to log in.
 */
import { parseArgs } from 'node:util';
import type { AsyncActionName } from './model';
import { DEFAULT_PASSWORD, startRedfishEmulator } from './emulator';

const ASYNC_ACTIONS: readonly AsyncActionName[] = [
  'ComputerSystem.Reset',
  'Bios.ResetBios',
  'VirtualMedia.InsertMedia',
  'VirtualMedia.EjectMedia',
];

const USAGE = `usage: redfish-emulator [options]
  --systems N              Systems to emulate (default 1)
  --host ADDR              address to bind (default 127.0.0.1)
  --port P                 port (default 8000; 0 picks one)
  --tls                    HTTPS with a CA and certificate generated for this run
  --username NAME          account name (default admin)
  --password-env VAR       read the account password from environment variable VAR
                           (default: the password "${DEFAULT_PASSWORD}")
  --no-basic-auth          sessions only
  --shared-manager         one Manager for all Systems
  --page-size N            collections list N members per page
  --require-if-match       PATCH without If-Match is a 428
  --weak-etags             show ETags as W/"..." (If-Match wants the strong form)
  --virtual-media-patch    no InsertMedia/EjectMedia actions: Image is PATCHed
  --power-transition-ms N  Systems stay PoweringOn/PoweringOff this long
  --async ACTION[,ACTION]  long-running actions: ${ASYNC_ACTIONS.join(', ')}
  --task-ms N              how long a long-running action takes (default 1000)
  --latency-ms N           added to every request
  --help`;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} wants a non-negative integer, got ${value}`);
  return Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      systems: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      tls: { type: 'boolean' },
      username: { type: 'string' },
      'password-env': { type: 'string' },
      'no-basic-auth': { type: 'boolean' },
      'shared-manager': { type: 'boolean' },
      'page-size': { type: 'string' },
      'require-if-match': { type: 'boolean' },
      'weak-etags': { type: 'boolean' },
      'virtual-media-patch': { type: 'boolean' },
      'power-transition-ms': { type: 'string' },
      async: { type: 'string' },
      'task-ms': { type: 'string' },
      'latency-ms': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const passwordVariable = values['password-env'];
  const password = passwordVariable ? process.env[passwordVariable] : undefined;
  if (passwordVariable && !password)
    throw new Error(`environment variable ${passwordVariable} is empty`);
  const asyncActions = (values.async ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of asyncActions) {
    if (!ASYNC_ACTIONS.includes(name as AsyncActionName)) throw new Error(`unknown action ${name}`);
  }
  const pageSize = integer('page-size', values['page-size']);
  const taskMs = integer('task-ms', values['task-ms']);

  const emulator = await startRedfishEmulator({
    systems: integer('systems', values.systems) ?? 1,
    host: values.host ?? '127.0.0.1',
    port: integer('port', values.port) ?? 8000,
    tls: values.tls ?? false,
    auth: {
      ...(values.username ? { username: values.username } : {}),
      ...(password ? { password } : {}),
      basic: !values['no-basic-auth'],
    },
    managers: values['shared-manager'] ? 'shared' : 'per-system',
    ...(pageSize !== undefined ? { pageSize } : {}),
    requireIfMatch: values['require-if-match'] ?? false,
    weakEtags: values['weak-etags'] ?? false,
    virtualMedia: values['virtual-media-patch'] ? 'patch' : 'actions',
    powerTransitionMs: integer('power-transition-ms', values['power-transition-ms']) ?? 0,
    ...(asyncActions.length > 0
      ? {
          asyncActions: {
            actions: asyncActions as AsyncActionName[],
            ...(taskMs !== undefined ? { durationMs: taskMs } : {}),
          },
        }
      : {}),
    onInternalError: (error) => console.error('internal error:', error),
  });
  emulator.faults.latencyMs = integer('latency-ms', values['latency-ms']) ?? 0;

  // Handlers go in before the 'listening' line: a supervisor may signal as soon as it reads it.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const lines = [
    `Redfish emulator listening on ${emulator.url}/redfish/v1/ (${emulator.systems.length} systems)`,
    `username: ${emulator.credentials.username}`,
    // A password given through the environment is not echoed; the built-in default is.
    `password: ${password ? `(from $${passwordVariable})` : DEFAULT_PASSWORD}`,
    `first system: ${emulator.systems[0]?.path ?? '-'}`,
  ];
  if (emulator.caPath) lines.push(`CA certificate: ${emulator.caPath}`);
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(2);
});
