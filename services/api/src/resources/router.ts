import { Router, type Request, type RequestHandler, type Response } from 'express';
import { Invalid, NotAcceptable } from '@galvanic/errors';
import { nextLink } from '../http/collection';
import { methodNotAllowed } from '../http/errors';
import { applyJsonPatch, type PatchOperation } from '../http/json-patch';
import { baseUrl } from '../http/links';
import { checkOperationHasValue, checkPatchDocument } from '../http/patch-schema';
import { fieldSince, fieldsAt, type CompiledResource } from './declaration';
import {
  checkFieldsAllowed,
  declaredFilters,
  listRequest,
  type DeclaredFilters,
  markerArgument,
  markerNotFound,
  showFields,
} from './query';
import { credentialsOf, policyValues } from '../auth/credentials';
import { fieldRedactor } from './policy';
import { renderResource, type ComputedField } from './render';
import { appendJoined, type RenderedRowCache, type RowVersion } from './rendered-rows';
import { uuidArgument } from './rules';
import { checkSchema } from './schema';

/** A page request as a store takes it. */
export interface StoreListQuery<Row, Filters> {
  filters: Filters;
  limit: number;
  /** The row after which the page starts. */
  marker?: Row;
  sortKey: string;
  sortDir: 'asc' | 'desc';
  /** The fields the page will show, for a store that reads some of them along with the rows. */
  fields: readonly string[];
}

/** What the generic handlers read from a resource's storage. */
export interface ResourceReader<Row, Filters> {
  getByUuid(uuid: string): Promise<Row | undefined>;
  list(query: StoreListQuery<Row, Filters>): Promise<Row[]>;
}

/**
 * A resource whose lists keep each row's rendering by the row's version: the page is read as
 * versions, and only rows not rendered before in that version are read whole and rendered.
 */
export interface VersionedRows<Row, Filters> {
  /**
   * The page {@link ResourceReader.list} would return, as versions with the columns the
   * volatile fields (and their policy) are computed from.
   */
  listVersions(query: StoreListQuery<Row, Filters>): Promise<(Partial<Row> & RowVersion)[]>;
  /** Whole rows by id, each with its version; rows gone meanwhile are left out. */
  getManyVersioned(ids: readonly number[]): Promise<(Row & RowVersion)[]>;
  /** Fields computed afresh for every request (such as a live lock holder): never kept. */
  volatileFields: ReadonlySet<string>;
  cache: RenderedRowCache;
}

export interface CreateHooks<Row, Values> {
  /** Checks a create body; by default against the declared schema and microversions. */
  check?(req: Request, body: unknown): Values;
  /** Stores the new resource. */
  save(req: Request, values: Values): Promise<Row>;
}

export interface PatchHooks<Row, Values> {
  /** Extra checks of the operations before the resource is read (the declared ones come first). */
  checkOperations?(req: Request, operations: readonly PatchOperation[]): void;
  /** The document a patch applies to; by default the patchable fields as stored. */
  document?(row: Row): Record<string, unknown>;
  /** Checks the patched document; by default against the declared schema, named `patch`. */
  check?(req: Request, patched: Record<string, unknown>): Values;
  /** Stores what changed and returns the resource after the change. */
  save(req: Request, row: Row, values: Values): Promise<Row>;
}

/**
 * What is genuinely a resource's own, plugged into the generic handlers: its storage, the filters
 * it reads beyond the declared ones, what it shows beyond stored columns, and its writes.
 */
export interface ResourceHooks<
  Row extends { uuid: string },
  Filters,
  Context,
  CreateValues,
  PatchValues,
> {
  store: ResourceReader<Row, Filters>;
  /**
   * Finds the resource a path names for show and patch; by default its UUID (Ironic's
   * `args.uuid`), else the resource's 404.
   */
  find?(req: Request, ident: string): Promise<Row>;
  /**
   * The store's filters of a list: from the declared ones (parsed by their kinds) and any the
   * resource reads itself. `parent` names the resource whose sub-collection is listed, if any.
   */
  filters(req: Request, declared: DeclaredFilters, parent: string | undefined): Promise<Filters>;
  /** What rendering the rows needs besides them (asked once per request). */
  context?(req: Request, rows: readonly Row[], fields: readonly string[]): Promise<Context>;
  computed?: ComputedField<Row, Context>;
  versioned?: VersionedRows<Row, Filters>;
  create?: CreateHooks<Row, CreateValues>;
  patch?: PatchHooks<Row, PatchValues>;
  /**
   * Deletes the resource named by a checked, lower-cased UUID; throws the resource's errors,
   * naming it by `ident` as the client gave it.
   */
  remove?(req: Request, uuid: string, ident: string): Promise<void>;
}

export interface ResourceRouterOptions {
  publicEndpoint: string | undefined;
}

const COMMA = Buffer.from(',');

/**
 * What a row's rendering depends on besides the row: the microversion, the fields, the link base
 * and, where policy may hide fields, who is asking.
 */
function renderingShape(
  req: Request,
  fields: readonly string[],
  base: string,
  callerMatters: boolean,
): string {
  const caller = callerMatters
    ? `${req.policy?.rulesVersion ?? 0}:${JSON.stringify(policyValues(credentialsOf(req)))}`
    : '';
  return `${req.apiVersion.minor}\n${base}\n${fields.join(',')}\n${caller}`;
}

/** The path argument naming one resource, as Ironic's `args.uuid` checks it. */
function identArgument(resource: CompiledResource, ident: string): string {
  return uuidArgument(`${resource.singular}_uuid`, ident).toLowerCase();
}

/** Ironic's refusal of a patch touching a field it may not change. */
function checkPatchable(resource: CompiledResource, operations: readonly PatchOperation[]): void {
  for (const op of operations) {
    if (!resource.patchable.includes(op.path.split('/')[1]!)) {
      throw new Invalid(
        `Cannot patch ${op.path}. Only the following can be updated: ${resource.patchable.join(', ')}`,
      );
    }
  }
}

/** Ironic's bare 406 for a patch touching a field newer than the negotiated microversion. */
function checkPatchVersions(
  resource: CompiledResource,
  operations: readonly PatchOperation[],
  minor: number,
): void {
  for (const field of resource.patchable) {
    if (fieldSince(resource, field) <= minor) continue;
    const path = `/${field}`;
    const touched = operations.some((op) =>
      op.op === 'remove' ? op.path === path || op.path.startsWith(`${path}/`) : op.path === path,
    );
    if (touched) throw new NotAcceptable();
  }
}

/**
 * The generic handlers of a declared resource: list and `/detail` (with Ironic's pagination,
 * sorting, `fields`, `detail` and `next` links), show, create, patch (JSON Patch) and delete.
 */
export class ResourceHandlers<
  Row extends { uuid: string },
  Filters,
  Context,
  CreateValues = Record<string, unknown>,
  PatchValues = Record<string, unknown>,
> {
  constructor(
    readonly resource: CompiledResource,
    private readonly hooks: ResourceHooks<Row, Filters, Context, CreateValues, PatchValues>,
    private readonly options: ResourceRouterOptions,
  ) {}

  private async render(req: Request, rows: readonly Row[], fields: readonly string[]) {
    const base = baseUrl(req, this.options.publicEndpoint);
    const context = (await this.hooks.context?.(req, rows, fields)) as Context;
    const redact = this.resource.policy ? fieldRedactor(req, this.resource.policy) : undefined;
    return rows.map((row) =>
      renderResource(this.resource, row, fields, { base, context, redact }, this.hooks.computed),
    );
  }

  private required<K extends 'create' | 'patch' | 'remove'>(
    name: K,
  ): NonNullable<ResourceHooks<Row, Filters, Context, CreateValues, PatchValues>[K]> {
    const hook = this.hooks[name];
    if (!hook) throw new Error(`${this.resource.collection} declare no ${name} hook`);
    return hook;
  }

  /** Finds the resource a path names, or its 404. */
  async find(ident: string): Promise<Row> {
    const row = await this.hooks.store.getByUuid(identArgument(this.resource, ident));
    if (!row) throw this.resource.notFound(ident);
    return row;
  }

  /**
   * `GET` of the collection (or of `/detail`). `collectionPath` is where the list lives under
   * /v1, e.g. `nodes/n1/ports`, for its `next` link; `parent` names the owning resource.
   */
  list(
    detailPath: boolean,
    collectionPath: (req: Request) => string,
    parent?: (req: Request) => string,
  ): RequestHandler {
    return async (req: Request, res: Response) => {
      const { query, fields } = listRequest(this.resource, req, detailPath);
      let marker: Row | undefined;
      const markerUuid = markerArgument(query.marker);
      if (markerUuid !== undefined) {
        marker = await this.hooks.store.getByUuid(markerUuid);
        if (!marker) throw markerNotFound(this.resource, query.marker!);
      }
      const declared = declaredFilters(this.resource, req);
      const filters = await this.hooks.filters(req, declared, parent?.(req));
      const storeQuery: StoreListQuery<Row, Filters> = {
        filters,
        limit: query.limit,
        marker,
        sortKey: query.sortKey,
        sortDir: query.sortDir,
        fields,
      };
      const itemsKey = this.resource.itemsKey ?? this.resource.collection;
      const nextOf = (count: number, lastUuid: string | undefined): string | undefined => {
        if (count !== query.limit || lastUuid === undefined) return undefined;
        const path = collectionPath(req);
        return nextLink(
          baseUrl(req, this.options.publicEndpoint),
          detailPath ? `${path}/detail` : path,
          req,
          lastUuid,
        );
      };
      if (this.hooks.versioned) {
        const page = await this.renderVersionedPage(req, this.hooks.versioned, storeQuery);
        const next = nextOf(page.count, page.lastUuid);
        const end = `]${next === undefined ? '' : `,"next":${JSON.stringify(next)}`}}`;
        res
          .type('application/json')
          .send(
            Buffer.concat([
              Buffer.from(`{${JSON.stringify(itemsKey)}:[`),
              ...page.items,
              Buffer.from(end),
            ]),
          );
        return;
      }
      const rows = await this.hooks.store.list(storeQuery);
      const body: Record<string, unknown> = { [itemsKey]: await this.render(req, rows, fields) };
      const next = nextOf(rows.length, rows.at(-1)?.uuid);
      if (next !== undefined) body.next = next;
      res.json(body);
    };
  }

  /**
   * A page of a resource with {@link VersionedRows}, each row as JSON text: kept renderings for
   * rows unchanged since, fresh ones (then kept) for the others, volatile fields always fresh.
   */
  private async renderVersionedPage(
    req: Request,
    versioned: VersionedRows<Row, Filters>,
    query: StoreListQuery<Row, Filters>,
  ): Promise<{ items: Buffer[]; count: number; lastUuid: string | undefined }> {
    const versions = await versioned.listVersions(query);
    const fresh = query.fields.filter((field) => versioned.volatileFields.has(field));
    const kept = query.fields.filter((field) => !versioned.volatileFields.has(field));
    const base = baseUrl(req, this.options.publicEndpoint);
    const redact = this.resource.policy ? fieldRedactor(req, this.resource.policy) : undefined;
    const cache = versioned.cache.shape(renderingShape(req, kept, base, redact !== undefined));
    const renderings = new Map<number, Buffer>();
    const missing: number[] = [];
    for (const version of versions) {
      const json = cache.get(version.id, version.row_version);
      if (json === undefined) missing.push(version.id);
      else renderings.set(version.id, json);
    }
    if (missing.length > 0) {
      const rows = await versioned.getManyVersioned(missing);
      const context = (await this.hooks.context?.(req, rows, kept)) as Context;
      for (const row of rows) {
        const json = Buffer.from(
          JSON.stringify(
            renderResource(
              this.resource,
              row,
              kept,
              { base, context, redact },
              this.hooks.computed,
            ),
          ).slice(0, -1),
        );
        cache.set(row.id, row.row_version, json);
        renderings.set(row.id, json);
      }
    }
    // The volatile fields read only the columns listVersions returns.
    const partial = versions as unknown as Row[];
    const context =
      fresh.length > 0 ? ((await this.hooks.context?.(req, partial, fresh)) as Context) : undefined;
    // The page's JSON as byte pieces, commas included: sent with one concatenation.
    const items: Buffer[] = [];
    const shown = { base, context: context as Context, redact };
    for (let i = 0; i < versions.length; i += 1) {
      const json = renderings.get(versions[i]!.id);
      // Deleted between the two reads: left out, as a list a moment later would.
      if (json === undefined) continue;
      if (items.length > 0) items.push(COMMA);
      appendJoined(
        items,
        json,
        fresh.length === 0
          ? undefined
          : JSON.stringify(
              renderResource(this.resource, partial[i]!, fresh, shown, this.hooks.computed),
            ),
      );
    }
    return { items, count: versions.length, lastUuid: versions.at(-1)?.uuid };
  }

  show(): RequestHandler {
    return async (req: Request, res: Response) => {
      const ident = String(req.params.ident);
      const row = this.hooks.find ? await this.hooks.find(req, ident) : await this.find(ident);
      const [shown] = await this.render(req, [row], showFields(this.resource, req));
      res.json(shown);
    };
  }

  private checkCreateBody(req: Request, body: unknown): CreateValues {
    const values = checkSchema(
      this.resource,
      this.resource.singular,
      body,
      this.resource.creatable,
    );
    checkFieldsAllowed(this.resource, Object.keys(values), req.apiVersion.minor);
    return values as CreateValues;
  }

  /** `POST` of the collection; the resource must declare its create hooks. */
  create(): RequestHandler {
    const hooks = this.required('create');
    return async (req: Request, res: Response) => {
      const values = hooks.check ? hooks.check(req, req.body) : this.checkCreateBody(req, req.body);
      const row = await hooks.save(req, values);
      const base = baseUrl(req, this.options.publicEndpoint);
      res.status(201).setHeader('Location', `${base}/v1/${this.resource.collection}/${row.uuid}`);
      const [shown] = await this.render(req, [row], fieldsAt(this.resource, req.apiVersion.minor));
      res.json(shown);
    };
  }

  private patchDocument(row: Row): Record<string, unknown> {
    const columns = row as unknown as Record<string, unknown>;
    const document: Record<string, unknown> = {};
    for (const field of this.resource.patchable) document[field] = columns[field] ?? null;
    return document;
  }

  /** `PATCH` of one resource (JSON Patch); the resource must declare its patch hooks. */
  patch(): RequestHandler {
    const hooks = this.required('patch');
    return async (req: Request, res: Response) => {
      const given = String(req.params.ident);
      const ident = this.hooks.find ? given : identArgument(this.resource, given);
      const operations = checkPatchDocument(req.body);
      checkPatchable(this.resource, operations);
      checkPatchVersions(this.resource, operations, req.apiVersion.minor);
      hooks.checkOperations?.(req, operations);
      const row = this.hooks.find ? await this.hooks.find(req, ident) : await this.find(ident);
      let document = hooks.document ? hooks.document(row) : this.patchDocument(row);
      // One operation at a time, as Ironic applies them, so a failure names its operation.
      for (const operation of operations) {
        checkOperationHasValue(operation);
        document = applyJsonPatch(document, [operation]);
      }
      const values = hooks.check
        ? hooks.check(req, document)
        : (checkSchema(this.resource, 'patch', document, Object.keys(document)) as PatchValues);
      const updated = await hooks.save(req, row, values);
      const [shown] = await this.render(
        req,
        [updated],
        fieldsAt(this.resource, req.apiVersion.minor),
      );
      res.json(shown);
    };
  }

  /** `DELETE` of one resource; the resource must declare its remove hook. */
  remove(): RequestHandler {
    const remove = this.required('remove');
    return async (req: Request, res: Response) => {
      const ident = String(req.params.ident);
      await remove(req, identArgument(this.resource, ident), ident);
      res.status(204).end();
    };
  }

  /**
   * A read-only sub-collection of the resource under a parent (e.g. `/v1/nodes/{node}/ports`):
   * its list and `/detail`, mounted where the parent's path has `:ident`. `collectionPath` is
   * where it lives under /v1, for `next` links; `parent` names the owning resource.
   */
  subCollectionRouter(
    collectionPath: (req: Request) => string,
    parent: (req: Request) => string,
  ): Router {
    const router = Router({ mergeParams: true });
    router
      .route('/')
      .get(this.list(false, collectionPath, parent))
      .all(methodNotAllowed(['GET']));
    router
      .route('/detail')
      .get(this.list(true, collectionPath, parent))
      .all(methodNotAllowed(['GET']));
    return router;
  }

  /**
   * The resource's router: the collection, `/detail` (unless `detailPath` is false: the
   * resources Ironic lists in detail only with `?detail=`), and one resource by `:ident`, with
   * Ironic's 405s for the methods each does not take.
   */
  router({ detailPath = true }: { detailPath?: boolean } = {}): Router {
    const { hooks, resource } = this;
    const router = Router();
    const collection = () => resource.collection;
    const root = router.route('/').get(this.list(false, collection));
    if (hooks.create) root.post(this.create());
    root.all(methodNotAllowed(hooks.create ? ['GET', 'POST'] : ['GET']));
    if (detailPath) {
      router
        .route('/detail')
        .get(this.list(true, collection))
        .all(methodNotAllowed(['GET']));
    }
    const one = router.route('/:ident').get(this.show());
    const methods = ['GET'];
    if (hooks.patch) {
      one.patch(this.patch());
      methods.push('PATCH');
    }
    if (hooks.remove) {
      one.delete(this.remove());
      methods.push('DELETE');
    }
    one.all(methodNotAllowed(methods));
    return router;
  }
}
