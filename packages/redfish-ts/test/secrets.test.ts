import { inspect } from 'node:util';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  RedfishAuthError,
  RedfishClient,
  RedfishConnectionError,
  RedfishError,
  RedfishProtocolError,
  RedfishTaskError,
  RedfishTimeout,
  RedfishTlsError,
  RedfishUnsupportedError,
} from '../src/index';
import type { RedfishClientOptions, RedfishLogger } from '../src/index';
import { BMC_PASSWORD, BMC_USER, FakeBmc, json } from './support/fake-bmc';
import { RESET_TARGET, SESSIONS, SYSTEM, errorBody } from './support/mockup';
import { makeTestPki } from './support/tls';
import type { TestPki } from './support/tls';

const WRONG_PASSWORD = 'Wr0ng-But-Secret-Pass';
const MEDIA_PASSWORD = 'image-server-S3cret';

let pki: TestPki;
let bmc: FakeBmc;
let tlsBmc: FakeBmc;
const logged: string[] = [];
const logger: RedfishLogger = {
  debug: (msg, fields) => logged.push(JSON.stringify({ msg, fields })),
  warn: (msg, fields) => logged.push(JSON.stringify({ msg, fields })),
};
const clients: RedfishClient[] = [];

/** A hostile BMC: every error answer quotes the credentials and token it was sent. */
function echoSecrets(target: FakeBmc): void {
  target.intercept((req, res) => {
    const token = String(req.headers['x-auth-token'] ?? '');
    const auth = String(req.headers.authorization ?? '');
    const body = JSON.stringify(req.body ?? '');
    const echo = `token=${token} auth=${auth} body=${body} basic=${Buffer.from(auth.slice(6), 'base64').toString()}`;
    if (req.path === '/redfish/v1/Echo') {
      json(res, 400, errorBody('Base.1.8.PropertyValueFormatError', echo, [token, body]));
      return true;
    }
    if (req.path === '/redfish/v1/NotJson') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(`{ not json ${echo}`);
      return true;
    }
    if (req.path === RESET_TARGET) {
      res.writeHead(202, { Location: '/redfish/v1/TaskMonitors/1', 'Retry-After': '0' }).end();
      return true;
    }
    if (req.path === '/redfish/v1/TaskMonitors/1') {
      json(res, 200, {
        Id: token,
        TaskState: 'Exception',
        TaskStatus: 'Critical',
        Messages: [{ MessageId: 'Base.1.8.InternalError', Message: echo, MessageArgs: [token] }],
      });
      return true;
    }
    if (req.path === '/redfish/v1/Hang') return true;
    if (req.path === '/redfish/v1/Drop') {
      res.socket?.destroy();
      return true;
    }
    if (
      req.method === 'POST' &&
      req.path === SESSIONS &&
      (req.body as { Password?: string })?.Password !== BMC_PASSWORD
    ) {
      json(res, 401, errorBody('Base.1.8.InsufficientPrivilege', echo, [body]));
      return true;
    }
    if (
      req.path === SYSTEM &&
      req.headers.authorization &&
      !auth.includes(Buffer.from(`${BMC_USER}:${BMC_PASSWORD}`).toString('base64'))
    ) {
      json(res, 401, errorBody('Base.1.8.InsufficientPrivilege', echo, [auth]));
      return true;
    }
    return false;
  });
}

function client(options: Partial<RedfishClientOptions> & { address: string }): RedfishClient {
  const c = new RedfishClient({
    username: BMC_USER,
    password: BMC_PASSWORD,
    authType: 'session',
    retries: 1,
    retryBaseDelayMs: 5,
    requestTimeoutMs: 300,
    taskPollIntervalMs: 5,
    logger,
    ...options,
  });
  clients.push(c);
  return c;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function renderings(err: unknown): string[] {
  const e = err as Error;
  return [
    String(e),
    e.message,
    e.stack ?? '',
    JSON.stringify(e),
    inspect(e, { depth: 10, showHidden: true }),
  ];
}

beforeAll(async () => {
  pki = makeTestPki();
  bmc = await FakeBmc.start();
  tlsBmc = await FakeBmc.start({ tls: { key: pki.key, cert: pki.cert } });
  echoSecrets(bmc);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await bmc?.close();
  await tlsBmc?.close();
  pki?.cleanup();
});

describe('secrets never appear in errors or logs', () => {
  it('for every error kind', async () => {
    const secrets = [BMC_PASSWORD, WRONG_PASSWORD, MEDIA_PASSWORD];
    const basicOf = (password: string) => Buffer.from(`${BMC_USER}:${password}`).toString('base64');
    secrets.push(basicOf(BMC_PASSWORD), basicOf(WRONG_PASSWORD));
    const errors: Array<[string, unknown]> = [];
    const provoke = async (kind: string, run: () => Promise<unknown>) => {
      errors.push([
        kind,
        await run().then(
          () => new Error(`${kind} did not fail`),
          (e: unknown) => e,
        ),
      ]);
    };

    const good = client({ address: bmc.url });
    await good.get(SYSTEM); // logs in: the token now exists
    const token = bmc.tokensIssued[0]!;
    secrets.push(token);

    await provoke('http error echoing token and body', () =>
      good.request('PATCH', '/redfish/v1/Echo', { body: { Password: MEDIA_PASSWORD } }),
    );
    await provoke('task error echoing token', () => good.system(SYSTEM).reset('On'));
    await provoke('protocol error on a body quoting the token', () =>
      good.get('/redfish/v1/NotJson'),
    );
    await provoke('timeout', () => good.get('/redfish/v1/Hang'));
    await provoke('dropped connection', () =>
      good.request('POST', '/redfish/v1/Drop', { body: {} }),
    );
    await provoke('unsupported', () => good.system(SYSTEM).reset('PowerCycle'));
    await provoke('insert media with image credentials, refused', () =>
      good.request('POST', '/redfish/v1/Echo', {
        body: { Image: 'http://x/y.iso', UserName: 'u', Password: MEDIA_PASSWORD },
      }),
    );
    await provoke('session login refused', () =>
      client({ address: bmc.url, password: WRONG_PASSWORD }).get(SYSTEM),
    );
    await provoke('basic auth refused', () =>
      client({ address: bmc.url, password: WRONG_PASSWORD, authType: 'basic' }).get(SYSTEM),
    );
    await provoke('connection refused', async () =>
      client({ address: `http://127.0.0.1:${await closedPort()}` }).get(SYSTEM),
    );
    await provoke('tls', () => client({ address: tlsBmc.url }).get(SYSTEM));

    const kinds = errors.map(([, e]) => (e as Error).constructor.name);
    for (const expected of [
      RedfishError,
      RedfishAuthError,
      RedfishConnectionError,
      RedfishTlsError,
      RedfishTimeout,
      RedfishTaskError,
      RedfishUnsupportedError,
      RedfishProtocolError,
    ]) {
      expect(kinds).toContain(expected.name);
    }
    // The BMC did echo secrets: the test would catch a leak.
    expect(bmc.requests.length).toBeGreaterThan(0);
    for (const [kind, err] of errors) {
      expect(err, kind).toBeInstanceOf(RedfishError);
      for (const text of renderings(err)) {
        for (const secret of secrets) expect(text, `${kind} leaks a secret`).not.toContain(secret);
      }
    }
    const echoed = errors.find(([kind]) => kind.startsWith('http error'))?.[1] as RedfishError;
    expect(echoed.message).toContain('token=***');
    expect(JSON.stringify(echoed.messages)).toContain('***');

    for (const c of clients) {
      for (const text of [
        String(c),
        JSON.stringify(c),
        inspect(c, { depth: 10, showHidden: true }),
      ]) {
        for (const secret of secrets) expect(text).not.toContain(secret);
      }
    }
    await Promise.all(clients.map((c) => c.close()));
    for (const line of logged) for (const secret of secrets) expect(line).not.toContain(secret);
    expect(logged.length).toBeGreaterThan(0);
  });
});
