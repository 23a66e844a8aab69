import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Keystone-compatible identity service for tests, written from Keystone's v3 api-ref: version
 * discovery, password authentication (`POST /v3/auth/tokens`, project or system scope), token
 * validation (`GET`/`HEAD /v3/auth/tokens` with `X-Subject-Token`), revocation (`DELETE`), and a
 * catalog naming the bare-metal endpoint. Roles imply lesser ones as Keystone's defaults do
 * (admin implies member implies reader). It is a stand-in: Debian's keystone is not run here.
 */
export interface KeystoneUser {
  name: string;
  password: string;
  /** Roles by project name. */
  projects?: Record<string, readonly string[]>;
  /** Roles on the system (`system_scope:all`). */
  system?: readonly string[];
}

export interface KeystoneOptions {
  users: readonly KeystoneUser[];
  /** Seconds a token lives; 3600 by default. */
  tokenLifetimeSeconds?: number;
  /** The bare-metal endpoint the catalog names. */
  baremetalUrl?: string;
}

interface IssuedToken {
  body: Record<string, unknown>;
  expiresAt: number;
}

const IMPLIED: Record<string, readonly string[]> = {
  admin: ['member', 'reader'],
  manager: ['member', 'reader'],
  member: ['reader'],
};

function withImplied(roles: readonly string[]): string[] {
  return [...new Set(roles.flatMap((role) => [role, ...(IMPLIED[role] ?? [])]))];
}

function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function keystoneError(res: ServerResponse, status: number, title: string, message: string): void {
  json(res, status, { error: { code: status, title, message } });
}

function unauthorized(res: ServerResponse): void {
  keystoneError(res, 401, 'Unauthorized', 'The request you have made requires authentication.');
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export class TestKeystone {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly projectIds = new Map<string, string>();
  private readonly userIds = new Map<string, string>();
  private server: Server | undefined;
  url = '';
  /** Tokens validated, for checking that the api caches them. */
  validations = 0;
  /** The bare-metal endpoint the catalog names (settable once the api has its port). */
  baremetalUrl: string | undefined;

  constructor(private readonly options: KeystoneOptions) {
    this.baremetalUrl = options.baremetalUrl;
    for (const user of options.users) {
      this.userIds.set(user.name, randomUUID().replace(/-/g, ''));
      for (const project of Object.keys(user.projects ?? {})) {
        if (!this.projectIds.has(project))
          this.projectIds.set(project, randomUUID().replace(/-/g, ''));
      }
    }
  }

  /** The id Keystone gave a project, as node `owner` and `lessee` hold it. */
  projectId(name: string): string {
    const id = this.projectIds.get(name);
    if (!id) throw new Error(`no project ${name}`);
    return id;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) =>
        keystoneError(res, 500, 'Internal Server Error', error.message),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Revokes a token, as `DELETE /v3/auth/tokens` does. */
  revoke(token: string): void {
    this.tokens.delete(token);
  }

  private versionDocument() {
    return {
      id: 'v3.14',
      status: 'stable',
      updated: '2020-04-07T00:00:00Z',
      links: [{ rel: 'self', href: `${this.url}/v3/` }],
      'media-types': [
        { base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' },
      ],
    };
  }

  private catalog() {
    if (!this.baremetalUrl) return [];
    return [
      {
        id: 'baremetal',
        type: 'baremetal',
        name: 'ironic',
        endpoints: ['public', 'internal', 'admin'].map((iface) => ({
          id: `baremetal-${iface}`,
          interface: iface,
          region: 'RegionOne',
          region_id: 'RegionOne',
          url: this.baremetalUrl,
        })),
      },
    ];
  }

  /** Logs a user in as `POST /v3/auth/tokens` would, with its own lifetime; returns the token. */
  async tokenFor(
    user: string,
    scope: { project: string } | 'system',
    lifetimeSeconds?: number,
  ): Promise<string> {
    const response = await fetch(`${this.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: {
                name: user,
                password: this.options.users.find((u) => u.name === user)?.password,
                domain: { name: 'Default' },
              },
            },
          },
          scope:
            scope === 'system'
              ? { system: { all: true } }
              : { project: { name: scope.project, domain: { name: 'Default' } } },
        },
      }),
    });
    const token = response.headers.get('x-subject-token');
    if (response.status !== 201 || !token) throw new Error(`login failed: ${response.status}`);
    if (lifetimeSeconds !== undefined)
      this.tokens.get(token)!.expiresAt = Date.now() + lifetimeSeconds * 1000;
    return token;
  }

  private issue(res: ServerResponse, body: unknown): void {
    const auth = (body as { auth?: Record<string, unknown> } | undefined)?.auth;
    const password = (auth?.identity as { password?: { user?: Record<string, unknown> } })
      ?.password;
    const name = password?.user?.name;
    const user = this.options.users.find(
      (u) => u.name === name && u.password === password?.user?.password,
    );
    if (!user) {
      unauthorized(res);
      return;
    }
    const scope = auth?.scope as
      { project?: { name?: string; id?: string }; system?: { all?: boolean } } | undefined;
    const now = Date.now();
    const expiresAt = now + (this.options.tokenLifetimeSeconds ?? 3600) * 1000;
    const token: Record<string, unknown> = {
      methods: ['password'],
      user: {
        id: this.userIds.get(user.name),
        name: user.name,
        domain: { id: 'default', name: 'Default' },
        password_expires_at: null,
      },
      audit_ids: [randomBytes(8).toString('base64url')],
      issued_at: new Date(now).toISOString(),
      expires_at: new Date(expiresAt).toISOString(),
    };
    let roles: readonly string[] = [];
    if (scope?.project) {
      const projectName =
        scope.project.name ?? [...this.projectIds].find(([, id]) => id === scope.project?.id)?.[0];
      roles = projectName ? (user.projects?.[projectName] ?? []) : [];
      if (!projectName || roles.length === 0) {
        unauthorized(res);
        return;
      }
      token.project = {
        id: this.projectIds.get(projectName),
        name: projectName,
        domain: { id: 'default', name: 'Default' },
      };
    } else if (scope?.system?.all) {
      roles = user.system ?? [];
      if (roles.length === 0) {
        unauthorized(res);
        return;
      }
      token.system = { all: true };
    }
    if (roles.length) {
      token.roles = withImplied(roles).map((role) => ({ id: role, name: role }));
      token.catalog = this.catalog();
    }
    const id = randomBytes(24).toString('base64url');
    this.tokens.set(id, { body: token, expiresAt });
    json(res, 201, { token }, { 'X-Subject-Token': id });
  }

  private valid(token: string | string[] | undefined): IssuedToken | undefined {
    if (typeof token !== 'string') return undefined;
    const issued = this.tokens.get(token);
    return issued && issued.expiresAt > Date.now() ? issued : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
    if (req.method === 'GET' && path === '/') {
      json(res, 300, { versions: { values: [this.versionDocument()] } });
      return;
    }
    if (req.method === 'GET' && path === '/v3') {
      json(res, 200, { version: this.versionDocument() });
      return;
    }
    if (path !== '/v3/auth/tokens') {
      keystoneError(res, 404, 'Not Found', 'The resource could not be found.');
      return;
    }
    if (req.method === 'POST') {
      this.issue(res, await readJson(req));
      return;
    }
    if (!this.valid(req.headers['x-auth-token'])) {
      unauthorized(res);
      return;
    }
    const subject = req.headers['x-subject-token'];
    const issued = this.valid(subject);
    if (!issued) {
      keystoneError(res, 404, 'Not Found', 'Could not find token.');
      return;
    }
    if (req.method === 'DELETE') {
      this.revoke(subject as string);
      res.writeHead(204).end();
      return;
    }
    this.validations += 1;
    json(res, 200, { token: issued.body }, { 'X-Subject-Token': subject as string });
  }
}

/** Starts a TestKeystone on a free loopback port. */
export async function startTestKeystone(options: KeystoneOptions): Promise<TestKeystone> {
  const keystone = new TestKeystone(options);
  await keystone.start();
  return keystone;
}
