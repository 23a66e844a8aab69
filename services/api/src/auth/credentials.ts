import type { Request } from 'express';

export type AuthStrategy = 'noauth' | 'http_basic' | 'keystone';

/**
 * Who made a request, as the authentication middleware found out: the user, the project and
 * roles of a Keystone token, or the user of an http_basic login. Policy reads these.
 */
export interface Credentials {
  readonly strategy: AuthStrategy;
  readonly userId?: string | undefined;
  readonly userName?: string | undefined;
  readonly projectId?: string | undefined;
  readonly projectName?: string | undefined;
  readonly projectDomainId?: string | undefined;
  readonly roles: readonly string[];
  /** `all` for a system-scoped token, as keystonemiddleware's X-System-Scope. */
  readonly systemScope?: string | undefined;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      credentials?: Credentials;
    }
  }
}

const ANONYMOUS: Credentials = { strategy: 'noauth', roles: [] };

/** The request's credentials; a request the middleware did not see (a public route) has none. */
export function credentialsOf(req: Request): Credentials {
  return req.credentials ?? ANONYMOUS;
}

/** The values policy checks compare with, named as oslo.context's `to_policy_values`. */
export function policyValues(credentials: Credentials): Record<string, unknown> {
  return {
    user_id: credentials.userId ?? null,
    user_name: credentials.userName ?? null,
    project_id: credentials.projectId ?? null,
    project_name: credentials.projectName ?? null,
    project_domain_id: credentials.projectDomainId ?? null,
    roles: credentials.roles,
    system_scope: credentials.systemScope ?? null,
  };
}
