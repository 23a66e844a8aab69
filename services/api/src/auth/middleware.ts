import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ServiceUnavailable, TooManyRequests } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import type { AuthStrategy, Credentials } from './credentials';
import { FailedLogins } from './failed-logins';
import { HtpasswdUsers } from './htpasswd';
import { KeystoneTokenValidator, KeystoneUnavailable, type KeystoneOptions } from './keystone';
import { isPublicRoute } from './public-routes';

export interface AuthOptions {
  strategy: AuthStrategy;
  /** `[DEFAULT] http_basic_auth_user_file`. */
  userFile?: string;
  keystone?: KeystoneOptions & { www_authenticate_uri?: string | undefined };
  /** Failed http_basic logins a client may make per window; 0 for no limit. */
  failureLimit?: number;
  failureWindowSeconds?: number;
  logger: Logger;
}

const BASIC_REALM = 'Basic realm="Baremetal API"';
const NOAUTH: Credentials = { strategy: 'noauth', roles: [] };

/** The body Ironic's basic-auth middleware writes for its own refusals. */
function basicAuthError(res: Response, status: 400 | 401, message: string): void {
  if (status === 401) res.setHeader('WWW-Authenticate', BASIC_REALM);
  res.status(status).json({ error: { message, code: status } });
}

/** keystonemiddleware's 401. */
function keystoneUnauthorized(res: Response, wwwAuthenticateUri: string | undefined): void {
  if (wwwAuthenticateUri) res.setHeader('WWW-Authenticate', `Keystone uri="${wwwAuthenticateUri}"`);
  res.status(401).json({
    error: {
      code: 401,
      title: 'Unauthorized',
      message: 'The request you have made requires authentication.',
    },
  });
}

function clientOf(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

type BasicCredentials = { user: string; password: string } | { error: string; status: 400 | 401 };

/** The user and password of an `Authorization: Basic` header, or Ironic's refusal of it. */
function basicCredentials(header: string | undefined): BasicCredentials {
  if (header === undefined) return { error: 'Authorization required', status: 401 };
  const [kind, token, ...rest] = header.trim().split(/\s+/);
  if (!kind || !token || rest.length) {
    return { error: 'Could not parse Authorization header', status: 400 };
  }
  if (kind.toLowerCase() !== 'basic')
    return { error: `Unsupported authorization type "${kind}"`, status: 400 };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 !== 0) {
    return { error: 'Could not decode authorization token', status: 400 };
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return { error: 'Could not decode authorization token', status: 400 };
  return { user: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}

function httpBasic(options: AuthOptions): RequestHandler {
  const users = new HtpasswdUsers(options.userFile ?? '', (reason) =>
    options.logger.error('the http_basic user file could not be re-read', { reason }),
  );
  const failures = new FailedLogins(
    options.failureLimit ?? 0,
    (options.failureWindowSeconds ?? 60) * 1000,
  );
  return async (req: Request, res: Response, next: NextFunction) => {
    const client = clientOf(req);
    const wait = failures.retryAfter(client);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return next(new TooManyRequests());
    }
    const given = basicCredentials(req.headers.authorization);
    if ('error' in given) return basicAuthError(res, given.status, given.error);
    if (!(await users.verify(given.user, given.password))) {
      failures.record(client);
      options.logger.warn('http_basic login failed', {
        user: given.user,
        client,
        failures: failures.count(client),
      });
      return basicAuthError(res, 401, 'Incorrect username or password');
    }
    req.credentials = {
      strategy: 'http_basic',
      userId: given.user,
      userName: given.user,
      roles: [],
    };
    next();
  };
}

function keystone(options: AuthOptions): RequestHandler {
  const settings = options.keystone;
  if (!settings) throw new Error('auth_strategy keystone needs [keystone_authtoken]');
  const validator = new KeystoneTokenValidator(settings, options.logger);
  // keystonemiddleware names auth_url to clients when www_authenticate_uri is unset.
  const challengeUri = settings.www_authenticate_uri ?? settings.auth_url;
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = req.headers['x-auth-token'];
    if (typeof token !== 'string' || token === '') return keystoneUnauthorized(res, challengeUri);
    let credentials: Credentials | undefined;
    try {
      credentials = await validator.validate(token);
    } catch (error) {
      if (!(error instanceof KeystoneUnavailable)) throw error;
      options.logger.error('keystone could not validate a token', { reason: error.message });
      return next(new ServiceUnavailable('The identity service could not be reached.'));
    }
    if (!credentials) return keystoneUnauthorized(res, challengeUri);
    req.credentials = credentials;
    next();
  };
}

/**
 * Authenticates every request but Ironic's public routes, by `[DEFAULT] auth_strategy`; a request
 * that passes carries its credentials for policy.
 */
export function authenticate(options: AuthOptions): RequestHandler {
  const check =
    options.strategy === 'http_basic'
      ? httpBasic(options)
      : options.strategy === 'keystone'
        ? keystone(options)
        : undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!check) {
      req.credentials = NOAUTH;
      return next();
    }
    if (isPublicRoute(req.path)) return next();
    Promise.resolve(check(req, res, next)).catch(next);
  };
}
