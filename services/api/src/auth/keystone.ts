import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Logger } from '@galvanic/logging';
import type { Credentials } from './credentials';

/** `[keystone_authtoken]` as the validator reads it. */
export interface KeystoneOptions {
  auth_url?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  project_name?: string | undefined;
  user_domain_name: string;
  project_domain_name: string;
  cafile?: string | undefined;
  token_cache_time: number;
  http_connect_timeout: number;
}

interface JsonAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Keystone's v3 token body, the parts of it that name who holds the token. */
interface TokenBody {
  token?: {
    expires_at?: string;
    user?: { id?: string; name?: string };
    project?: { id?: string; name?: string; domain?: { id?: string } };
    roles?: { name?: string }[];
    system?: { all?: boolean };
  };
}

/** Keystone could not be asked (down, refused the service's own login): a 503, not a 401. */
export class KeystoneUnavailable extends Error {}

interface CachedToken {
  credentials: Credentials;
  until: number;
}

const MAX_CACHED_TOKENS = 10_000;

/** The v3 base of `auth_url`, which keystonemiddleware accepts with or without `/v3`. */
function v3Base(authUrl: string): string {
  const trimmed = authUrl.replace(/\/+$/, '');
  return trimmed.endsWith('/v3') ? trimmed : `${trimmed}/v3`;
}

/**
 * Validates tokens as keystonemiddleware's auth_token does: the service logs in with its own
 * credentials, asks Keystone about each token (`GET /v3/auth/tokens` with `X-Subject-Token`),
 * and caches the answer for `token_cache_time`, never past the token's expiry.
 */
export class KeystoneTokenValidator {
  private readonly base: string;
  private readonly ca: Buffer | undefined;
  private serviceToken: { token: string; expiresAt: number } | undefined;
  private readonly cache = new Map<string, CachedToken>();

  constructor(
    private readonly options: KeystoneOptions,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    if (!options.auth_url) throw new Error('[keystone_authtoken] auth_url is required');
    this.base = v3Base(options.auth_url);
    this.ca = options.cafile ? readFileSync(options.cafile) : undefined;
  }

  private send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<JsonAnswer> {
    const url = new URL(`${this.base}${path}`);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          headers: {
            Accept: 'application/json',
            ...(payload ? { 'Content-Type': 'application/json' } : {}),
            ...headers,
          },
          timeout: this.options.http_connect_timeout * 1000,
          ...(this.ca ? { ca: this.ca } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = undefined;
            try {
              parsed = text ? (JSON.parse(text) as unknown) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('Keystone did not answer in time')));
      req.on('error', (error) => reject(new KeystoneUnavailable(error.message)));
      req.end(payload);
    });
  }

  private async serviceLogin(): Promise<string> {
    const cached = this.serviceToken;
    if (cached && cached.expiresAt - 60_000 > this.now()) return cached.token;
    const { username, password, project_name: projectName } = this.options;
    if (!username || !password || !projectName) {
      throw new KeystoneUnavailable(
        '[keystone_authtoken] username, password and project_name are required',
      );
    }
    const answer = await this.send(
      'POST',
      '/auth/tokens',
      {},
      {
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: { name: username, password, domain: { name: this.options.user_domain_name } },
            },
          },
          scope: {
            project: { name: projectName, domain: { name: this.options.project_domain_name } },
          },
        },
      },
    );
    const token = answer.headers['x-subject-token'];
    if (answer.status !== 201 || typeof token !== 'string') {
      throw new KeystoneUnavailable(`the service could not log in to Keystone (${answer.status})`);
    }
    const expires = Date.parse((answer.body as TokenBody).token?.expires_at ?? '');
    this.serviceToken = { token, expiresAt: Number.isNaN(expires) ? this.now() : expires };
    return token;
  }

  private async ask(token: string, retry = true): Promise<JsonAnswer> {
    const serviceToken = await this.serviceLogin();
    const answer = await this.send('GET', '/auth/tokens', {
      'X-Auth-Token': serviceToken,
      'X-Subject-Token': token,
    });
    if (answer.status === 401 && retry) {
      // Our own token was revoked or expired early: log in again, once.
      this.serviceToken = undefined;
      return this.ask(token, false);
    }
    return answer;
  }

  /** Who holds the token; undefined when Keystone says it is not valid (unknown, expired, revoked). */
  async validate(token: string): Promise<Credentials | undefined> {
    const key = createHash('sha256').update(token).digest('hex');
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.credentials;
    this.cache.delete(key);
    const answer = await this.ask(token);
    if (answer.status === 404 || answer.status === 401) return undefined;
    if (answer.status !== 200) {
      throw new KeystoneUnavailable(`Keystone answered ${answer.status} to a token validation`);
    }
    const body = (answer.body as TokenBody).token;
    const expires = Date.parse(body?.expires_at ?? '');
    if (!body || Number.isNaN(expires) || expires <= now) return undefined;
    const credentials: Credentials = {
      strategy: 'keystone',
      userId: body.user?.id,
      userName: body.user?.name,
      projectId: body.project?.id,
      projectName: body.project?.name,
      projectDomainId: body.project?.domain?.id,
      roles: (body.roles ?? []).map((role) => role.name ?? '').filter(Boolean),
      systemScope: body.system?.all ? 'all' : undefined,
    };
    if (this.options.token_cache_time >= 0) {
      if (this.cache.size >= MAX_CACHED_TOKENS) this.cache.clear();
      const until = Math.min(expires, now + this.options.token_cache_time * 1000);
      this.cache.set(key, { credentials, until });
    }
    this.logger.debug('keystone token validated', {
      user: credentials.userName,
      project: credentials.projectId,
    });
    return credentials;
  }
}
