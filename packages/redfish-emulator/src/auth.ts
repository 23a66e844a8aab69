/**
 * Who may call: HTTP basic auth (optional) or a session's X-Auth-Token. The service root, the
 * version document, OData documents and session creation are open, as DSP0266 requires.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { RedfishError, baseMessage } from './errors';
import type { Principal } from './http/context';
import type { SessionStore } from './sessions';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface AuthOptions extends Partial<Credentials> {
  /** Accept HTTP basic auth as well as sessions (default true). */
  readonly basic?: boolean;
}

export const SESSIONS_PATH = '/redfish/v1/SessionService/Sessions';

const OPEN_GETS = new Set([
  '/redfish',
  '/redfish/v1',
  '/redfish/v1/odata',
  '/redfish/v1/$metadata',
]);

export function isOpen(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD') return OPEN_GETS.has(path);
  return method === 'POST' && path === SESSIONS_PATH;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export class Authenticator {
  readonly username: string;
  readonly #passwordDigest: Buffer;
  readonly #basic: boolean;
  readonly #sessions: SessionStore;

  constructor(credentials: Credentials, basic: boolean, sessions: SessionStore) {
    this.username = credentials.username;
    this.#passwordDigest = digest(credentials.password);
    this.#basic = basic;
    this.#sessions = sessions;
  }

  /** Compares in constant time (digests of equal length). */
  checkPassword(username: string, password: string): boolean {
    const passwordOk = timingSafeEqual(digest(password), this.#passwordDigest);
    return passwordOk && username === this.username;
  }

  authenticate(authorization: string | undefined, token: string | undefined): Principal {
    if (token !== undefined) {
      const session = this.#sessions.use(token);
      if (session) return { userName: session.userName, sessionId: session.id };
      throw this.unauthorized();
    }
    if (authorization !== undefined && this.#basic) {
      const match = /^Basic\s+(\S+)$/i.exec(authorization);
      if (match) {
        const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon >= 0 && this.checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1))) {
          return { userName: decoded.slice(0, colon) };
        }
      }
    }
    throw this.unauthorized();
  }

  unauthorized(): RedfishError {
    const headers: Record<string, string> = this.#basic
      ? { 'WWW-Authenticate': 'Basic realm="Redfish"' }
      : {};
    return new RedfishError(401, baseMessage('NoValidSession'), headers);
  }
}
