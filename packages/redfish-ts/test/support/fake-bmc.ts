/**
 * A small Redfish BMC over node:http / node:https for the tests: serves the mockup documents,
 * enforces basic or session auth, ETags on PATCH, runs actions, and lets a test intercept any
 * request to misbehave (errors, 202 tasks, dropped connections, slow answers).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { CD1, SESSIONS, SUBSCRIPTIONS, errorBody, mockupDocuments, serviceRoot } from './mockup';
import type { Doc } from './mockup';

export const BMC_USER = 'root';
export const BMC_PASSWORD = 'calvin-S3cret!pw';

export interface FakeBmcOptions {
  readonly sessionService?: boolean;
  /** Whether Authorization: Basic is accepted. Default true. */
  readonly basicAuth?: boolean;
  /** Status the Sessions collection answers to a login; default 201 (success). */
  readonly sessionLoginStatus?: number;
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer };
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly at: number;
}

/** Returns true when it answered (or dropped) the request itself. */
export type Interceptor = (
  req: RecordedRequest,
  res: ServerResponse,
  raw: IncomingMessage,
) => boolean | Promise<boolean>;

export class FakeBmc {
  readonly docs: Map<string, Doc> = mockupDocuments();
  readonly requests: RecordedRequest[] = [];
  /** Session token → Session resource path. */
  readonly sessions = new Map<string, string>();
  readonly tokensIssued: string[] = [];
  connections = 0;
  inFlight = 0;
  maxInFlight = 0;
  readonly #server: http.Server;
  readonly #options: FakeBmcOptions;
  readonly #interceptors: Interceptor[] = [];
  readonly #etags = new Map<string, number>();
  readonly #sockets = new Set<Socket>();
  #nextId = 1;

  private constructor(options: FakeBmcOptions) {
    this.#options = options;
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.#handle(req, res);
    this.#server = options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler)
      : http.createServer(handler);
    this.#server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.connections++;
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    // Plain TCP sockets too, so close() also ends connections whose TLS handshake failed.
    if (options.tls) {
      this.#server.on('connection', (socket: Socket) => {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
      });
    }
    this.docs.set('/redfish/v1/', serviceRoot({ sessions: options.sessionService ?? true }));
  }

  static async start(options: FakeBmcOptions = {}): Promise<FakeBmc> {
    const bmc = new FakeBmc(options);
    await new Promise<void>((resolve) => bmc.#server.listen(0, '127.0.0.1', resolve));
    return bmc;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get url(): string {
    return `${this.#options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  intercept(interceptor: Interceptor): void {
    this.#interceptors.push(interceptor);
  }

  /** Forget every session, as a BMC does when they time out. */
  expireSessions(): void {
    for (const path of this.sessions.values()) this.docs.delete(path);
    this.sessions.clear();
  }

  requestsTo(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  etagOf(path: string): string {
    return `"${this.#etags.get(path) ?? 1}"`;
  }

  /** Changes a document behind the client's back (as another client would), new ETag. */
  touch(path: string, changes: Doc): void {
    const doc = this.docs.get(path);
    if (!doc) throw new Error(`no ${path}`);
    deepMerge(doc, changes);
    this.#etags.set(path, (this.#etags.get(path) ?? 1) + 1);
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    const chunks: Buffer[] = [];
    for await (const chunk of raw) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const req: RecordedRequest = {
      method: raw.method ?? 'GET',
      path: raw.url ?? '/',
      headers: raw.headers,
      body,
      at: Date.now(),
    };
    this.requests.push(req);
    for (const interceptor of this.#interceptors) {
      if (await interceptor(req, res, raw)) return;
    }
    this.#serve(req, res);
  }

  #serve(req: RecordedRequest, res: ServerResponse): void {
    const { method, path } = req;
    if (method === 'GET' && path === '/redfish/v1/') return json(res, 200, this.docs.get(path));
    if (method === 'POST' && path === SESSIONS) return this.#login(req, res);
    if (!this.#authorized(req)) {
      return json(
        res,
        401,
        errorBody(
          'Base.1.8.NoValidSession',
          'There is no valid session established with the implementation.',
        ),
      );
    }
    if (method === 'DELETE' && path.startsWith(`${SESSIONS}/`)) {
      const token = [...this.sessions].find(([, p]) => p === path)?.[0];
      if (!token)
        return json(res, 404, errorBody('Base.1.8.ResourceMissingAtURI', `${path} not found`));
      this.sessions.delete(token);
      this.docs.delete(path);
      res.writeHead(204).end();
      return;
    }
    if (method === 'POST' && path === SUBSCRIPTIONS) return this.#subscribe(req, res);
    if (method === 'DELETE' && path.startsWith(`${SUBSCRIPTIONS}/`)) {
      if (!this.docs.delete(path)) {
        return json(res, 404, errorBody('Base.1.8.ResourceMissingAtURI', `${path} not found`));
      }
      const list = this.docs.get(SUBSCRIPTIONS) as { Members: Array<{ '@odata.id': string }> };
      list.Members = list.Members.filter((m) => m['@odata.id'] !== path);
      res.writeHead(204).end();
      return;
    }
    if (method === 'POST' && path.includes('/Actions/')) return this.#action(req, res);
    const doc = this.docs.get(path);
    if (!doc)
      return json(
        res,
        404,
        errorBody(
          'Base.1.8.ResourceMissingAtURI',
          `The resource at the URI ${path} was not found.`,
          [path],
        ),
      );
    if (method === 'GET') {
      const etag = this.etagOf(path);
      return json(res, 200, { ...doc, '@odata.etag': etag }, { ETag: etag });
    }
    if (method === 'PATCH') {
      const ifMatch = req.headers['if-match'];
      if (ifMatch !== undefined && ifMatch !== this.etagOf(path)) {
        return json(
          res,
          412,
          errorBody(
            'Base.1.8.PreconditionFailed',
            'The ETag supplied did not match the ETag required to change this resource.',
          ),
        );
      }
      this.touch(path, req.body as Doc);
      res.writeHead(204).end();
      return;
    }
    json(
      res,
      405,
      errorBody('Base.1.8.OperationNotAllowed', 'The HTTP method is not allowed on this resource.'),
    );
  }

  #authorized(req: RecordedRequest): boolean {
    const token = req.headers['x-auth-token'];
    if (typeof token === 'string' && this.sessions.has(token)) return true;
    const auth = req.headers.authorization;
    if (
      this.#options.basicAuth !== false &&
      typeof auth === 'string' &&
      auth.startsWith('Basic ')
    ) {
      const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      return decoded === `${BMC_USER}:${BMC_PASSWORD}`;
    }
    return false;
  }

  #login(req: RecordedRequest, res: ServerResponse): void {
    if (this.#options.sessionService === false) {
      return json(res, 404, errorBody('Base.1.8.ResourceMissingAtURI', 'no SessionService'));
    }
    const status = this.#options.sessionLoginStatus ?? 201;
    if (status !== 201) {
      return json(res, status, errorBody('Base.1.8.InternalError', 'Session creation failed.'));
    }
    const body = req.body as { UserName?: string; Password?: string } | undefined;
    if (body?.UserName !== BMC_USER || body.Password !== BMC_PASSWORD) {
      return json(
        res,
        401,
        errorBody('Base.1.8.InsufficientPrivilege', 'Invalid user name or password.'),
      );
    }
    const token = randomBytes(16).toString('hex');
    const path = `${SESSIONS}/${this.#nextId++}`;
    this.sessions.set(token, path);
    this.tokensIssued.push(token);
    const doc = {
      '@odata.type': '#Session.v1_7_0.Session',
      '@odata.id': path,
      Id: path.split('/').pop(),
      Name: 'User Session',
      UserName: BMC_USER,
      Password: null,
    };
    this.docs.set(path, doc);
    json(res, 201, doc, { 'X-Auth-Token': token, Location: path });
  }

  #subscribe(req: RecordedRequest, res: ServerResponse): void {
    const body = req.body as Doc;
    const path = `${SUBSCRIPTIONS}/${this.#nextId++}`;
    const doc: Doc = {
      '@odata.type': '#EventDestination.v1_13_0.EventDestination',
      '@odata.id': path,
      Id: path.split('/').pop(),
      Name: 'EventSubscription',
      Destination: body.Destination,
      Protocol: body.Protocol,
      Context: body.Context,
      RegistryPrefixes: body.RegistryPrefixes,
      SubscriptionType: 'RedfishEvent',
      // HttpHeaders are write-only: a BMC answers null.
      HttpHeaders: null,
    };
    this.docs.set(path, doc);
    const list = this.docs.get(SUBSCRIPTIONS) as { Members: Array<{ '@odata.id': string }> };
    list.Members.push({ '@odata.id': path });
    json(res, 201, doc, { Location: path });
  }

  #action(req: RecordedRequest, res: ServerResponse): void {
    const params = (req.body ?? {}) as Doc;
    const systemPath = '/redfish/v1/Systems/437XR1138R2';
    if (req.path.endsWith('/ComputerSystem.Reset')) {
      const power =
        params.ResetType === 'ForceOff' || params.ResetType === 'GracefulShutdown' ? 'Off' : 'On';
      this.touch(systemPath, { PowerState: power });
    } else if (req.path === `${CD1}/Actions/VirtualMedia.InsertMedia`) {
      this.touch(CD1, { Image: params.Image, Inserted: true, ConnectedVia: 'URI' });
    } else if (req.path === `${CD1}/Actions/VirtualMedia.EjectMedia`) {
      this.touch(CD1, { Image: null, Inserted: false, ConnectedVia: 'NotConnected' });
    } else if (req.path.endsWith('/Bios.ResetBios')) {
      this.touch(`${systemPath}/Bios`, { ResetBiosToDefaultsPending: true });
    } else {
      return json(
        res,
        404,
        errorBody('Base.1.8.ActionNotSupported', `The action ${req.path} is not supported.`),
      );
    }
    res.writeHead(204).end();
  }
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'OData-Version': '4.0',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function deepMerge(target: Doc, changes: Doc): void {
  for (const [key, value] of Object.entries(changes)) {
    const current = target[key];
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current !== null &&
      typeof current === 'object' &&
      !Array.isArray(current)
    ) {
      deepMerge(current as Doc, value as Doc);
    } else {
      target[key] = value;
    }
  }
}
