/**
 * Matches `METHOD /path` against patterns such as `/redfish/v1/Systems/{system}/Bios`. Routes
 * are grouped by segment count, so a lookup compares only patterns of the right length.
 */
import type { Handler, Params } from './context';

interface Route {
  readonly segments: readonly string[];
  readonly handlers: Map<string, Handler>;
}

export interface RouteMatch {
  readonly handler: Handler | undefined;
  readonly params: Params;
  /** Methods the matched path answers, for `Allow`. */
  readonly allowed: readonly string[];
}

export class Router {
  readonly #byLength = new Map<number, Route[]>();

  on(method: string, pattern: string, handler: Handler): this {
    const segments = split(pattern);
    const routes = this.#byLength.get(segments.length) ?? [];
    let route = routes.find((r) => r.segments.join('/') === segments.join('/'));
    if (!route) {
      route = { segments, handlers: new Map() };
      routes.push(route);
      this.#byLength.set(segments.length, routes);
    }
    route.handlers.set(method, handler);
    return this;
  }

  match(method: string, path: string): RouteMatch | undefined {
    const segments = split(path);
    for (const route of this.#byLength.get(segments.length) ?? []) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      const allowed = allowedMethods(route);
      const handler = route.handlers.get(method === 'HEAD' ? 'GET' : method);
      return { handler, params, allowed };
    }
    return undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Params | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const expected = pattern[i] as string;
    const got = actual[i] as string;
    if (expected.startsWith('{') && expected.endsWith('}')) {
      params[expected.slice(1, -1)] = got;
    } else if (expected !== got) {
      return undefined;
    }
  }
  return params;
}

function allowedMethods(route: Route): string[] {
  const methods = [...route.handlers.keys()];
  if (methods.includes('GET')) methods.splice(methods.indexOf('GET') + 1, 0, 'HEAD');
  return methods;
}
