/**
 * Authentication as Ironic's `redfish_auth_type`: `basic`, `session` (SessionService login,
 * `X-Auth-Token`, one transparent re-login after a 401, logout on close) and `auto` (a session
 * when the service offers SessionService, basic when creating one fails — as sushy does).
 */
import { RedfishAuthError, RedfishError, RedfishProtocolError } from './errors';
import type { Redactor } from './errors';
import { linkOf } from './resources';
import type { ServiceRoot } from './resources';
import type { RedfishLogger, RedfishStats } from './stats';
import type { HttpMethod } from './pool';

export type AuthType = 'basic' | 'session' | 'auto';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** What the authenticator needs from the connection; these requests carry no credentials. */
export interface AuthChannel {
  readonly target: string;
  sendUnauthenticated(
    method: HttpMethod,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; idempotent: boolean },
  ): Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: unknown;
  }>;
  /** The service root read without credentials; undefined if the BMC refuses that. */
  unauthenticatedServiceRoot(): Promise<ServiceRoot | undefined>;
  resolvePath(link: string): string;
}

export interface Authenticator {
  /** Headers that authenticate a request; logs in first if needed. */
  headers(): Promise<Record<string, string>>;
  /**
   * The BMC answered 401 to a request sent with `sentHeaders`. Logs in again when that can help
   * (once per rejected token, shared by concurrent callers); true when the request should be
   * sent again with fresh `headers()`.
   */
  reauthenticate(sentHeaders: Readonly<Record<string, string>>): Promise<boolean>;
  /** Deletes the session, if any. Never throws. */
  close(): Promise<void>;
  /** What is in use now: `session` after a login, `basic`, or `none` before the first request. */
  readonly mode: 'basic' | 'session' | 'none';
}

export interface AuthContext {
  readonly channel: AuthChannel;
  readonly redactor: Redactor;
  readonly stats: RedfishStats;
  readonly logger: RedfishLogger;
}

const DEFAULT_SESSIONS_PATH = '/redfish/v1/SessionService/Sessions';

export function createAuthenticator(
  type: AuthType,
  credentials: Credentials,
  context: AuthContext,
): Authenticator {
  context.redactor.add(credentials.password);
  // The Authorization value decodes to the password: a BMC echoing it must not leak it either.
  context.redactor.add(basicHeader(credentials).Authorization?.slice('Basic '.length));
  switch (type) {
    case 'basic':
      return new BasicAuth(credentials);
    case 'session':
      return new SessionAuth(credentials, context, false);
    case 'auto':
      return new SessionAuth(credentials, context, true);
  }
}

function basicHeader(credentials: Credentials): Record<string, string> {
  const token = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  return { Authorization: `Basic ${token}` };
}

class BasicAuth implements Authenticator {
  readonly #credentials: Credentials;
  readonly mode = 'basic' as const;

  constructor(credentials: Credentials) {
    this.#credentials = credentials;
  }

  async headers(): Promise<Record<string, string>> {
    return basicHeader(this.#credentials);
  }

  async reauthenticate(): Promise<boolean> {
    return false;
  }

  async close(): Promise<void> {}

  toJSON(): string {
    return 'BasicAuth';
  }
}

interface ActiveSession {
  readonly token: string;
  /** Path of the Session resource to DELETE on logout; unknown if the BMC did not say. */
  readonly path: string | undefined;
}

class SessionAuth implements Authenticator {
  readonly #credentials: Credentials;
  readonly #context: AuthContext;
  readonly #fallBackToBasic: boolean;
  #session: ActiveSession | undefined;
  #usingBasic = false;
  #login: Promise<void> | undefined;
  #closed = false;

  constructor(credentials: Credentials, context: AuthContext, fallBackToBasic: boolean) {
    this.#credentials = credentials;
    this.#context = context;
    this.#fallBackToBasic = fallBackToBasic;
  }

  get mode(): 'basic' | 'session' | 'none' {
    if (this.#usingBasic) return 'basic';
    return this.#session ? 'session' : 'none';
  }

  async headers(): Promise<Record<string, string>> {
    if (!this.#session && !this.#usingBasic) await this.#loginOnce();
    if (this.#usingBasic) return basicHeader(this.#credentials);
    if (!this.#session) {
      throw new RedfishAuthError('no Redfish session', { target: this.#context.channel.target });
    }
    return { 'X-Auth-Token': this.#session.token };
  }

  async reauthenticate(sentHeaders: Readonly<Record<string, string>>): Promise<boolean> {
    if (this.#usingBasic || this.#closed) return false;
    const rejected = sentHeaders['X-Auth-Token'];
    if (rejected === undefined) return false;
    // Another request already logged in again after the same expiry: just use the new token.
    if (this.#session && this.#session.token !== rejected) return true;
    if (this.#session?.token === rejected) {
      this.#context.redactor.delete(rejected);
      this.#session = undefined;
      this.#context.stats.reLogins++;
      this.#context.logger.debug('redfish session rejected, logging in again', {
        target: this.#context.channel.target,
      });
    }
    await this.#loginOnce();
    return true;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#login?.catch(() => undefined);
    const session = this.#session;
    this.#session = undefined;
    if (!session?.path) return;
    try {
      await this.#context.channel.sendUnauthenticated('DELETE', session.path, {
        headers: { 'X-Auth-Token': session.token },
        idempotent: true,
      });
      this.#context.stats.sessionsDeleted++;
    } catch (err) {
      this.#context.logger.warn('could not delete the Redfish session', {
        target: this.#context.channel.target,
        error: err instanceof Error ? err.message : String(err),
      });
    } finally {
      this.#context.redactor.delete(session.token);
    }
  }

  toJSON(): string {
    return `SessionAuth(${this.mode})`;
  }

  #loginOnce(): Promise<void> {
    this.#login ??= this.#loginOrFallBack().finally(() => {
      this.#login = undefined;
    });
    return this.#login;
  }

  async #loginOrFallBack(): Promise<void> {
    if (this.#closed) {
      throw new RedfishError('the Redfish client is closed', {
        target: this.#context.channel.target,
      });
    }
    const root = await this.#context.channel.unauthenticatedServiceRoot();
    const sessionsLink = root ? sessionsLinkOf(root) : undefined;
    if (this.#fallBackToBasic && root && !sessionsLink && !linkOf(root.SessionService)) {
      this.#useBasic('the service offers no SessionService');
      return;
    }
    try {
      this.#session = await this.#createSession(sessionsLink ?? DEFAULT_SESSIONS_PATH);
    } catch (err) {
      // Only an answer from the BMC refusing sessions makes basic worth trying; a connection,
      // TLS or timeout failure would fail the same way with basic.
      const httpRefusal = err instanceof RedfishError && err.status !== undefined;
      const noToken = err instanceof RedfishProtocolError;
      if (this.#fallBackToBasic && (httpRefusal || noToken)) {
        this.#useBasic(`session creation failed: ${(err as Error).message}`);
        return;
      }
      throw err;
    }
  }

  #useBasic(reason: string): void {
    this.#usingBasic = true;
    this.#context.logger.debug('redfish auth falls back to basic', {
      target: this.#context.channel.target,
      reason,
    });
  }

  async #createSession(sessionsPath: string): Promise<ActiveSession> {
    const { channel, redactor, stats } = this.#context;
    let response;
    try {
      response = await channel.sendUnauthenticated('POST', sessionsPath, {
        body: { UserName: this.#credentials.username, Password: this.#credentials.password },
        idempotent: false,
      });
    } catch (err) {
      if (err instanceof RedfishError && (err.status === 401 || err.status === 403)) {
        throw new RedfishAuthError(`session login refused: ${err.message}`, {
          target: channel.target,
          method: 'POST',
          path: sessionsPath,
          status: err.status,
          code: err.code,
          messages: err.messages,
        });
      }
      throw err;
    }
    const tokenHeader = response.headers['x-auth-token'];
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
    if (!token) {
      throw new RedfishProtocolError('session created without an X-Auth-Token header', {
        target: channel.target,
        method: 'POST',
        path: sessionsPath,
        status: response.status,
      });
    }
    redactor.add(token);
    stats.logins++;
    return { token, path: this.#sessionPath(response.headers.location, response.body) };
  }

  #sessionPath(location: string | string[] | undefined, body: unknown): string | undefined {
    const candidates = [Array.isArray(location) ? location[0] : location, linkOf(body)];
    for (const candidate of candidates) {
      if (!candidate) continue;
      try {
        return this.#context.channel.resolvePath(candidate);
      } catch {
        // A session link to another origin is ignored: the token must not go there.
      }
    }
    return undefined;
  }
}

function sessionsLinkOf(root: ServiceRoot): string | undefined {
  return linkOf(root.Links?.Sessions);
}
