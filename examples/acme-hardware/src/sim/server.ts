/**
 * acme-sim: the "Acme chassis controller" the example driver talks to. A small HTTP service that
 * keeps power, boot device and identify LED state per chassis, in memory. Power changes take
 * `transitionMs` to complete, as a real BMC's do, so the driver has to wait for them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AcmePowerState = 'on' | 'off';
export type AcmePowerAction = 'on' | 'off' | 'graceful-off' | 'reset';
export const ACME_BOOT_DEVICES = ['pxe', 'disk', 'cdrom'] as const;
export type AcmeBootDevice = (typeof ACME_BOOT_DEVICES)[number];

export interface AcmeChassis {
  id: string;
  power: AcmePowerState;
  /** The state a power action is moving to, until it completes. */
  pendingPower: AcmePowerState | null;
  boot: { device: AcmeBootDevice; persistent: boolean };
  ledBlinkingUntil: string | null;
  /** Every power action received, oldest first. */
  actions: AcmePowerAction[];
}

export interface AcmeSimOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  host?: string;
  /** When set, every request must carry `Authorization: Bearer <password>`. */
  password?: string;
  /** How long a power action takes; 50 ms by default. */
  transitionMs?: number;
  /** The chassis the controller manages; `['chassis-1']` by default. */
  chassis?: readonly string[];
}

export interface AcmeSim {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  chassis(id: string): AcmeChassis | undefined;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function newChassis(id: string): AcmeChassis {
  return {
    id,
    power: 'off',
    pendingPower: null,
    boot: { device: 'disk', persistent: true },
    ledBlinkingUntil: null,
    actions: [],
  };
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // answered below
  }
  throw new HttpError(400, 'the body must be a JSON object');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export async function startAcmeSim(options: AcmeSimOptions = {}): Promise<AcmeSim> {
  const transitionMs = options.transitionMs ?? 50;
  const chassis = new Map(
    (options.chassis ?? ['chassis-1']).map((id) => [id, newChassis(id)] as const),
  );
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };

  const powerAction = (target: AcmeChassis, action: AcmePowerAction) => {
    target.actions.push(action);
    if (action === 'reset') {
      target.pendingPower = 'on';
      later(transitionMs / 2, () => (target.power = 'off'));
      later(transitionMs, () => {
        target.power = 'on';
        target.pendingPower = null;
      });
      return;
    }
    const state: AcmePowerState = action === 'on' ? 'on' : 'off';
    target.pendingPower = state;
    later(transitionMs, () => {
      target.power = state;
      target.pendingPower = null;
    });
  };

  const route = async (request: IncomingMessage): Promise<[number, unknown]> => {
    if (options.password !== undefined) {
      if (request.headers.authorization !== `Bearer ${options.password}`) {
        throw new HttpError(401, 'wrong or missing password');
      }
    }
    const url = new URL(request.url ?? '/', 'http://acme');
    const parts = url.pathname.split('/').filter((part) => part !== '');
    const method = request.method ?? 'GET';
    if (parts[0] !== 'chassis') throw new HttpError(404, `no such resource: ${url.pathname}`);
    if (parts.length === 1 && method === 'GET') return [200, { chassis: [...chassis.keys()] }];

    const target = chassis.get(decodeURIComponent(parts[1] ?? ''));
    if (!target) throw new HttpError(404, `no such chassis: ${parts[1]}`);
    const resource = `${method} ${parts.slice(2).join('/')}`;
    switch (resource) {
      case 'GET ':
        return [200, target];
      case 'GET power':
        return [
          200,
          { state: target.pendingPower ? `powering-${target.pendingPower}` : target.power },
        ];
      case 'POST power': {
        const { action } = await readJson(request);
        if (
          action !== 'on' &&
          action !== 'off' &&
          action !== 'graceful-off' &&
          action !== 'reset'
        ) {
          throw new HttpError(400, `unknown power action: ${JSON.stringify(action)}`);
        }
        powerAction(target, action);
        return [202, {}];
      }
      case 'GET boot':
        return [200, target.boot];
      case 'PUT boot': {
        const { device, persistent } = await readJson(request);
        if (!(ACME_BOOT_DEVICES as readonly unknown[]).includes(device)) {
          throw new HttpError(400, `unknown boot device: ${JSON.stringify(device)}`);
        }
        target.boot = { device: device as AcmeBootDevice, persistent: persistent === true };
        return [200, target.boot];
      }
      case 'POST led': {
        const { seconds } = await readJson(request);
        if (typeof seconds !== 'number' || !(seconds > 0)) {
          throw new HttpError(400, 'seconds must be a positive number');
        }
        target.ledBlinkingUntil = new Date(Date.now() + seconds * 1000).toISOString();
        return [200, { blinking_until: target.ledBlinkingUntil }];
      }
      default:
        throw new HttpError(405, `${method} is not allowed on ${url.pathname}`);
    }
  };

  const server = createServer((request, response) => {
    route(request).then(
      ([status, body]) => send(response, status, body),
      (error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        send(response, status, { error: (error as Error).message });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    chassis: (id) => chassis.get(id),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
