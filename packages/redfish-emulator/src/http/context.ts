import type { IncomingHttpHeaders } from 'node:http';

/** Who made the request, once authenticated. */
export interface Principal {
  readonly userName: string;
  /** Set when the request came with a session's X-Auth-Token. */
  readonly sessionId?: string;
}

export interface RequestContext {
  readonly method: string;
  /** Decoded path without a trailing slash (`/redfish/v1/` is `/redfish/v1`). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when the request had none. */
  readonly body: unknown;
  readonly principal: Principal | undefined;
}

export interface Reply {
  readonly status: number;
  /** A JSON document. */
  readonly body?: object;
  /** A non-JSON document (e.g. `$metadata`). */
  readonly text?: { readonly contentType: string; readonly data: string };
  readonly headers?: Readonly<Record<string, string>>;
  /** Give the body an `@odata.etag` and the response an `ETag` header. */
  readonly etag?: boolean;
  /**
   * What the ETag covers when not the whole body: readings that change by themselves (a clock)
   * stay out, so an ETag read a moment ago still matches.
   */
  readonly etagSource?: object;
}

export type Params = Readonly<Record<string, string>>;
export type Handler = (ctx: RequestContext, params: Params) => Reply | Promise<Reply>;

export function header(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
