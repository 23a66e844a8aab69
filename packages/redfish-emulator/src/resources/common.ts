/** Pieces every resource module uses: links, collections with paging, body checks, actions. */
import { SystemBackendError } from '../backend/types';
import { RedfishError, badRequest, baseMessage, notFound } from '../errors';
import type { Reply, RequestContext } from '../http/context';
import { header } from '../http/context';
import { checkIfMatch, etagOf } from '../http/etag';
import type { EmulatorModel } from '../model';

export interface ODataRef {
  readonly '@odata.id': string;
}

export function ref(path: string): ODataRef {
  return { '@odata.id': path };
}

export const STATUS_OK = { State: 'Enabled', Health: 'OK' } as const;

export interface CollectionSpec {
  readonly path: string;
  /** e.g. `ComputerSystemCollection` */
  readonly type: string;
  readonly name: string;
  readonly members: readonly string[];
}

/**
 * A resource collection; with a page size, `$skip` picks the page and
 * `Members@odata.nextLink` points at the next one.
 */
export function collectionReply(
  ctx: RequestContext,
  spec: CollectionSpec,
  pageSize: number | undefined,
): Reply {
  const skip = queryInteger(ctx, '$skip') ?? 0;
  const top = queryInteger(ctx, '$top');
  const total = spec.members.length;
  if (skip > total && total > 0) {
    throw badRequest('QueryParameterOutOfRange', [String(skip), '$skip', `0-${total}`]);
  }
  const limit = Math.min(top ?? Infinity, pageSize ?? Infinity);
  const end = Math.min(total, skip + limit);
  const page = spec.members.slice(skip, end);
  const body: Record<string, unknown> = {
    '@odata.id': spec.path,
    '@odata.type': `#${spec.type}.${spec.type}`,
    Name: spec.name,
    'Members@odata.count': total,
    Members: page.map(ref),
  };
  // The page size cut the page short of what was asked: link the rest (keeping what is left of
  // $top).
  if (end < total && (top === undefined || end < skip + top)) {
    const rest = top === undefined ? '' : `&$top=${skip + top - end}`;
    body['Members@odata.nextLink'] = `${spec.path}?$skip=${end}${rest}`;
  }
  return { status: 200, body };
}

function queryInteger(ctx: RequestContext, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest('QueryParameterValueTypeError', [raw, name]);
  return Number(raw);
}

export function resourceReply(body: object, allow?: string): Reply {
  return { status: 200, body, etag: true, ...(allow ? { headers: { Allow: allow } } : {}) };
}

/** The request body as an object; an absent body counts as `{}` (actions without parameters). */
export function objectBody(ctx: RequestContext): Record<string, unknown> {
  if (ctx.body === undefined) return {};
  if (typeof ctx.body !== 'object' || ctx.body === null || Array.isArray(ctx.body)) {
    throw new RedfishError(400, baseMessage('MalformedJSON'));
  }
  return ctx.body as Record<string, unknown>;
}

/** 412/428 unless If-Match names the resource's current ETag (see `checkIfMatch`). */
export function requireCurrentEtag(
  model: EmulatorModel,
  ctx: RequestContext,
  currentBody: object,
): void {
  checkIfMatch(header(ctx, 'if-match'), etagOf(currentBody), model.settings.requireIfMatch);
}

export function lookup<T>(items: ReadonlyMap<string, T>, id: string, ctx: RequestContext): T {
  const item = items.get(id);
  if (item === undefined) throw notFound(ctx.path);
  return item;
}

export function backendError(error: unknown): RedfishError {
  if (error instanceof RedfishError) return error;
  if (error instanceof SystemBackendError) {
    switch (error.kind) {
      case 'conflict':
        return new RedfishError(409, baseMessage('ResourceInUse'));
      case 'unsupported':
        return new RedfishError(400, baseMessage('GeneralError'));
      default:
        return new RedfishError(500, baseMessage('InternalError'));
    }
  }
  return new RedfishError(500, baseMessage('InternalError'));
}

/** Runs a backend call, turning its failures into Redfish errors. */
export async function viaBackend(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    throw backendError(error);
  }
}

export const NO_CONTENT: Reply = { status: 204 };

/** Parameters an action accepts; anything else is ActionParameterUnknown. */
export function rejectUnknownParameters(
  action: string,
  body: Record<string, unknown>,
  known: readonly string[],
): void {
  for (const name of Object.keys(body)) {
    if (!known.includes(name) && !name.startsWith('@') && name !== 'Oem') {
      throw badRequest('ActionParameterUnknown', [action, name], [`#/${name}`]);
    }
  }
}
