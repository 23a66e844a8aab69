import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HTTPForbidden } from '@galvanic/errors';
import { credentialsOf, policyValues } from '../auth/credentials';
import { isPublicRoute } from '../auth/public-routes';
import type { PolicyEnforcer } from '../policy/enforcer';

/**
 * The policy of a resource, declared beside its fields: Ironic's rules with their defaults
 * (policy-in-code) and which rules each route of the resource needs. A resource that declares no
 * policy is for operators only (see UNDECLARED_RESOURCE_POLICY).
 */
export interface ResourcePolicy {
  /** Rule names and their default check strings, as Ironic's policy.py defines them. */
  rules: Readonly<Record<string, string>>;
  routes: readonly PolicyRoute[];
  /** Values a row's fields give the rules, e.g. `node.owner`, for redacting fields on show. */
  targetOf?(row: unknown): Record<string, unknown>;
  /**
   * Fields shown redacted to callers a rule refuses, unless `threshold` allows them all (Ironic's
   * `baremetal:node:get:filter_threshold`).
   */
  redactions?: { threshold: string; fields: Readonly<Record<string, FieldRedaction>> };
}

export interface FieldRedaction {
  rule: string;
  shown: unknown;
}

/** What an object a route acts on gives the rules, and how to hide it from those who may not see it. */
export interface PolicyTarget {
  values: Record<string, unknown>;
  /** The resource's 404, raised when the caller may not see the object at all. */
  notFound: Error;
}

/**
 * Finds the object a route names from its path parameters, by every identifier the route's
 * handler accepts; undefined only when there is no such object (the handler answers its 404
 * then, and a finder that cannot read an identifier its handler reads would let the request
 * past the object's rules).
 */
export type PolicyTargetFinder = (
  req: Request,
  params: Readonly<Record<string, string>>,
) => Promise<PolicyTarget | undefined>;

export interface PolicyRoute {
  /** HTTP methods, or `*` for any. */
  methods: readonly string[] | '*';
  /** Path under /v1 with `:name` segments, e.g. `/nodes/:ident/states/power`; `*` ends a prefix. */
  path: string;
  /** The rules that must all allow the request (read from the request for a patch). */
  rules: readonly string[] | ((req: Request) => readonly string[]);
  /**
   * The object acted on: a finder's name (see PolicyTargetFinder). The caller must first pass
   * `visibleBy` on it, if given, else the object is "not found", as Ironic hides what a project
   * may not see.
   */
  target?: { finder: string; visibleBy?: string };
  /**
   * A list: `all` allows every row; otherwise `own` allows the rows of the caller's project, a
   * filter applied in SQL. `ownerFilter` names the query parameter that may not name another
   * project.
   */
  list?: { all: string; own: string; ownerFilter?: string };
  /**
   * Other rules that allow the request instead, as Ironic's `self_owned_node` rules: tried
   * `first` (the main rules only when these refuse) or `after` the main rules refused (then
   * their refusal is the answer). `apply` adapts the request to what they allow.
   */
  alternative?: {
    rules: readonly string[];
    tried: 'first' | 'after';
    apply?(req: Request, credentials: Readonly<Record<string, unknown>>): void;
  };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by policy on a list the caller may see only its project's part of. */
      listProject?: string;
      /** The policy in force for this request, for field redaction on show. */
      policy?: PolicyEnforcer;
    }
  }
}

/** The safe default: read for system readers, anything else for system admins. */
export const UNDECLARED_RESOURCE_POLICY: ResourcePolicy = {
  rules: {},
  routes: [
    { methods: ['GET', 'HEAD'], path: '*', rules: ['galvanic:undeclared:read'] },
    { methods: '*', path: '*', rules: ['galvanic:undeclared:write'] },
  ],
};

interface CompiledRoute extends PolicyRoute {
  pattern: RegExp;
  names: string[];
}

function compileRoute(route: PolicyRoute): CompiledRoute {
  const names: string[] = [];
  const segments = route.path.split('/').filter(Boolean);
  let source = '';
  let prefix = false;
  for (const segment of segments) {
    if (segment === '*') {
      prefix = true;
      break;
    }
    if (segment.startsWith(':')) {
      names.push(segment.slice(1));
      source += '/([^/]+)';
    } else source += `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
  }
  const pattern = new RegExp(`^${source}${prefix ? '(?:/.*)?' : '/?'}$`);
  return { ...route, pattern, names };
}

export interface PolicyGuardOptions {
  enforcer: PolicyEnforcer;
  policies: readonly ResourcePolicy[];
  finders: Readonly<Record<string, PolicyTargetFinder>>;
}

/** Every resource's default rules, merged, for the enforcer. */
export function defaultRules(policies: readonly ResourcePolicy[]): Record<string, string> {
  return Object.assign({}, ...policies.map((policy) => policy.rules)) as Record<string, string>;
}

function listCheck(
  req: Request,
  enforcer: PolicyEnforcer,
  list: NonNullable<PolicyRoute['list']>,
  credentials: Record<string, unknown>,
): void {
  if (enforcer.check(list.all, credentials)) return;
  // Ironic's check_list_policy: a project sees its own rows, and may not ask for another's.
  const project = credentials.project_id;
  const owner = list.ownerFilter ? req.query[list.ownerFilter] : undefined;
  if (typeof project !== 'string' || (typeof owner === 'string' && owner !== project)) {
    enforcer.authorize(list.all, credentials);
  }
  enforcer.authorize(list.own, credentials);
  req.listProject = project as string;
}

/**
 * Authorises each request under /v1 by the policy its resource declares, before its handler
 * runs: the object it names must be visible to the caller (else its 404), then every rule of
 * the route must allow it (else Ironic's 403); a list is limited to the caller's project.
 */
export function policyGuard(options: PolicyGuardOptions): RequestHandler {
  const routes = [...options.policies, UNDECLARED_RESOURCE_POLICY].flatMap((policy) =>
    policy.routes.map(compileRoute),
  );
  const { enforcer } = options;
  return (req: Request, _res: Response, next: NextFunction) => {
    req.policy = enforcer;
    if (!enforcer.enforced || isPublicRoute(`${req.baseUrl}${req.path}`)) return next();
    const path = req.path;
    const route = routes.find(
      (candidate) =>
        (candidate.methods === '*' || candidate.methods.includes(req.method)) &&
        candidate.pattern.test(path),
    );
    if (!route) return next();
    const credentials = policyValues(credentialsOf(req));
    const run = async () => {
      const match = route.pattern.exec(path)!;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1]!);
      });
      let values: Record<string, unknown> = {};
      if (route.target) {
        const finder = options.finders[route.target.finder];
        if (!finder) throw new Error(`no policy target finder named ${route.target.finder}`);
        const target = await finder(req, params);
        if (!target) return; // the handler answers the resource's own 404
        values = target.values;
        const visibleBy = route.target.visibleBy;
        if (visibleBy && !enforcer.check(visibleBy, credentials, values)) throw target.notFound;
      }
      const rules = typeof route.rules === 'function' ? route.rules(req) : route.rules;
      const authorizeAll = (names: readonly string[]) => {
        for (const rule of names) enforcer.authorize(rule, credentials, values);
      };
      const alternative = route.alternative;
      const allowsInstead =
        alternative?.tried === 'first' &&
        alternative.rules.every((rule) => enforcer.check(rule, credentials, values));
      if (allowsInstead) alternative.apply?.(req, credentials);
      else {
        try {
          authorizeAll(rules);
        } catch (error) {
          if (alternative?.tried !== 'after' || !(error instanceof HTTPForbidden)) throw error;
          authorizeAll(alternative.rules);
          alternative.apply?.(req, credentials);
        }
      }
      if (route.list) listCheck(req, enforcer, route.list, credentials);
    };
    run().then(() => next(), next);
  };
}

/**
 * How one row's fields are shown to this caller: the redacted text for a field a rule refuses,
 * undefined to show the field as usual.
 */
export type FieldRedactor = (row: unknown, field: string) => { shown: unknown } | undefined;

/** The redactor of a resource for this request; undefined when nothing is redacted. */
export function fieldRedactor(req: Request, policy: ResourcePolicy): FieldRedactor | undefined {
  const enforcer = req.policy;
  const redactions = policy.redactions;
  if (!enforcer?.enforced || !redactions || !policy.targetOf) return undefined;
  const credentials = policyValues(credentialsOf(req));
  const targetOf = policy.targetOf;
  return (row, field) => {
    const redaction = redactions.fields[field];
    if (!redaction) return undefined;
    const target = targetOf(row);
    if (enforcer.check(redactions.threshold, credentials, target)) return undefined;
    return enforcer.check(redaction.rule, credentials, target)
      ? undefined
      : { shown: redaction.shown };
  };
}
