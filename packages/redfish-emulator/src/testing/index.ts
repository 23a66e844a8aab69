/**
 * For tests in any package: start an emulated fleet, call it over HTTP(S) with the right
 * credentials and CA, and read a simulated System's state without HTTP.
 */
import http from 'node:http';
import https from 'node:https';
import { MemorySystemBackend } from '../backend/memory';
import type { EmulatedSystemHandle, RedfishEmulator, RedfishEmulatorOptions } from '../emulator';
import { startRedfishEmulator } from '../emulator';
import type { GeneratedTls } from '../tls';
import { generateTestTls } from '../tls';

export {
  startRedfishEmulator,
  DEFAULT_USERNAME,
  DEFAULT_PASSWORD,
  type RedfishEmulator,
  type RedfishEmulatorOptions,
  type EmulatedSystemHandle,
} from '../emulator';
export { MemorySystemBackend } from '../backend/memory';

/** Starts an emulator with `count` Systems on a free 127.0.0.1 port. Close it in the test. */
export function startRedfishFleet(
  count: number,
  options: Omit<RedfishEmulatorOptions, 'systems'> = {},
): Promise<RedfishEmulator> {
  return startRedfishEmulator({ ...options, systems: count });
}

/** Several emulated BMCs, each its own server with one System, as in a rack of real hosts. */
export interface RedfishBmcFleet {
  readonly bmcs: readonly RedfishEmulator[];
  /** The CA every BMC's certificate comes from, with TLS on. */
  readonly caPem: string | undefined;
  readonly caPath: string | undefined;
  close(): Promise<void>;
}

export type BmcFleetOptions = Omit<
  RedfishEmulatorOptions,
  'systems' | 'inventoryIndexBase' | 'tls' | 'port'
> & {
  /** HTTPS, all BMCs with one certificate from one generated CA. */
  readonly tls?: boolean;
};

/**
 * Starts `count` emulators of one System each on free ports; BMC i's System has the default
 * inventory of index i (its own UUID and MACs). Close the fleet in the test.
 */
export async function startRedfishBmcs(
  count: number,
  options: BmcFleetOptions = {},
): Promise<RedfishBmcFleet> {
  const generated: GeneratedTls | undefined = options.tls ? await generateTestTls() : undefined;
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      startRedfishEmulator({
        ...options,
        systems: 1,
        inventoryIndexBase: index,
        tls: generated ?? false,
      }),
    ),
  );
  const bmcs = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const close = async (): Promise<void> => {
    await Promise.all(bmcs.map((bmc) => bmc.close()));
    await generated?.remove();
  };
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await close();
    throw (failure as PromiseRejectedResult).reason;
  }
  return { bmcs, caPem: generated?.caPem, caPath: generated?.caPath, close };
}

/** The in-memory simulation behind a System (power history, direct power changes). */
export function simulatedBackend(system: EmulatedSystemHandle): MemorySystemBackend {
  if (!(system.backend instanceof MemorySystemBackend)) {
    throw new Error(`System ${system.id} is not backed by the in-memory simulation`);
  }
  return system.backend;
}

export type RequestAuth =
  'basic' | 'none' | { readonly token: string } | { readonly basic: string };

export interface RedfishRequestOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Default 'basic' with the emulator's credentials. */
  readonly auth?: RequestAuth;
  /** CA to trust over HTTPS (default: the emulator's). */
  readonly ca?: string;
  readonly agent?: http.Agent;
}

export interface RedfishResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The parsed JSON body, if it was JSON. */
  readonly json: unknown;
}

/** One request to the emulator with node:http(s); `path` is absolute (`/redfish/v1/...`). */
export function redfishRequest(
  emulator: Pick<RedfishEmulator, 'url' | 'credentials' | 'caPem'>,
  method: string,
  path: string,
  options: RedfishRequestOptions = {},
): Promise<RedfishResponse> {
  const url = new URL(path, emulator.url);
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const auth = options.auth ?? 'basic';
  if (auth === 'basic') {
    const { username, password } = emulator.credentials;
    headers['Authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  } else if (auth !== 'none' && 'token' in auth) {
    headers['X-Auth-Token'] = auth.token;
  } else if (auth !== 'none') {
    headers['Authorization'] = `Basic ${Buffer.from(auth.basic).toString('base64')}`;
  }
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  const secure = url.protocol === 'https:';
  const ca = options.ca ?? emulator.caPem;
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      url,
      {
        method,
        headers,
        ...(options.agent ? { agent: options.agent } : {}),
        ...(secure && ca ? { ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          if (/json/.test(res.headers['content-type'] ?? '') && text) json = JSON.parse(text);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** A node's `driver_info` for Ironic's redfish hardware type, pointing at one emulated System. */
export interface RedfishDriverInfo {
  readonly redfish_address: string;
  readonly redfish_system_id: string;
  readonly redfish_username: string;
  readonly redfish_password: string;
  /** The generated CA's path, with TLS on. */
  readonly redfish_verify_ca?: string;
}

export function redfishDriverInfo(
  emulator: Pick<RedfishEmulator, 'url' | 'credentials' | 'caPath'>,
  system: Pick<EmulatedSystemHandle, 'path'>,
): RedfishDriverInfo {
  return {
    redfish_address: emulator.url,
    redfish_system_id: system.path,
    redfish_username: emulator.credentials.username,
    redfish_password: emulator.credentials.password,
    ...(emulator.caPath ? { redfish_verify_ca: emulator.caPath } : {}),
  };
}

/** Creates a session; returns its token and URI. */
export async function createSession(
  emulator: Pick<RedfishEmulator, 'url' | 'credentials' | 'caPem'>,
): Promise<{ token: string; location: string }> {
  const res = await redfishRequest(emulator, 'POST', '/redfish/v1/SessionService/Sessions', {
    auth: 'none',
    body: { UserName: emulator.credentials.username, Password: emulator.credentials.password },
  });
  const token = res.headers['x-auth-token'];
  const location = res.headers.location;
  if (res.status !== 201 || typeof token !== 'string' || !location) {
    throw new Error(`session creation answered ${res.status}`);
  }
  return { token, location };
}
