/** Reading resources, walking collections page by page, and PATCH guarded by `If-Match`. */
import type { Connection, RedfishResponse } from './connection';
import { RedfishError, RedfishProtocolError } from './errors';
import { collectionPage } from './resources';
import type { RedfishResource } from './resources';

/** Upper bound on pages followed, against a BMC whose nextLink loops. */
const MAX_COLLECTION_PAGES = 1000;

/** GETs a resource; its `@odata.etag` is filled from the `ETag` header when the body has none. */
export async function getResource<T extends RedfishResource>(
  conn: Connection,
  path: string,
): Promise<T> {
  const response = await conn.request<T>('GET', path);
  const body = response.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RedfishProtocolError('the answer is not a Redfish resource', {
      target: conn.target,
      method: 'GET',
      path,
      status: response.status,
    });
  }
  if (body['@odata.etag'] === undefined && response.etag !== undefined) {
    return { ...body, '@odata.etag': response.etag };
  }
  return body;
}

/** Member paths of a collection, following `Members@odata.nextLink` to the last page. */
export async function listMembers(conn: Connection, collectionPath: string): Promise<string[]> {
  const members: string[] = [];
  const seen = new Set<string>();
  let next: string | undefined = collectionPath;
  while (next !== undefined) {
    const page = conn.resolvePath(next);
    if (seen.has(page) || seen.size >= MAX_COLLECTION_PAGES) {
      throw new RedfishProtocolError('the collection paging does not end', {
        target: conn.target,
        path: collectionPath,
      });
    }
    seen.add(page);
    const body = await getResource(conn, page);
    const { members: onPage, nextLink } = collectionPage(body, page);
    members.push(...onPage);
    next = nextLink;
  }
  return members;
}

/** Every member of a collection, read one after another (the BMC's in-flight bound applies). */
export async function getMembers<T extends RedfishResource>(
  conn: Connection,
  collectionPath: string,
): Promise<T[]> {
  const paths = await listMembers(conn, collectionPath);
  return Promise.all(paths.map((p) => getResource<T>(conn, p)));
}

export interface PatchOptions {
  /**
   * The ETag to send as `If-Match`. Default: read the resource and use its etag if it has one;
   * `false` sends no `If-Match`.
   */
  readonly etag?: string | false;
  /** On 412, read the resource again and resend once with its new etag (default true). */
  readonly retryOnPreconditionFailed?: boolean;
}

/**
 * PATCHes `changes` to a resource, guarded by its ETag. Redfish PATCH sets absolute values, so
 * resending after a 412 (someone else changed the resource) applies the same intent to the new
 * state rather than undoing theirs field by field.
 */
export async function patchResource(
  conn: Connection,
  path: string,
  changes: Record<string, unknown>,
  options: PatchOptions = {},
): Promise<RedfishResponse> {
  const etagFor = async (): Promise<string | undefined> =>
    options.etag === false
      ? undefined
      : typeof options.etag === 'string'
        ? options.etag
        : (await getResource(conn, path))['@odata.etag'];
  const etag = await etagFor();
  try {
    return await conn.request('PATCH', path, { body: changes, ifMatch: etag });
  } catch (err) {
    const retry = options.retryOnPreconditionFailed ?? true;
    if (!(err instanceof RedfishError) || err.status !== 412 || !retry || etag === undefined) {
      throw err;
    }
    const fresh = (await getResource(conn, path))['@odata.etag'];
    return conn.request('PATCH', path, { body: changes, ifMatch: fresh });
  }
}
