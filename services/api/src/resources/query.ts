import type { Request } from 'express';
import { InvalidParameterValue, NotAcceptable } from '@galvanic/errors';
import { collectionQuery, singleQueryParam, type CollectionQuery } from '../http/collection';
import { fieldSince, fieldsAt, listFieldsAt, type CompiledResource } from './declaration';
import { booleanArgument, uuidArgument } from './rules';

/** Refuses, with Ironic's bare 406, naming a field the negotiated microversion does not have. */
export function checkFieldsAllowed(
  resource: CompiledResource,
  fields: Iterable<string>,
  minor: number,
): void {
  for (const field of fields) if (fieldSince(resource, field) > minor) throw new NotAcceptable();
}

/** `?fields=` before its microversion is Ironic's bare 406. */
function checkFieldsParameterAllowed(req: Request, since: number): void {
  if (singleQueryParam(req, 'fields') !== undefined && req.apiVersion.minor < since)
    throw new NotAcceptable();
}

/** Ironic's `?detail=`: a boolean, refused on `/detail` itself and before its microversion. */
function strictDetail(req: Request, detailPath: boolean, since: number): boolean {
  const text = singleQueryParam(req, 'detail');
  if (text === undefined) return detailPath;
  const detail = booleanArgument('detail', text);
  if (detailPath || req.apiVersion.minor < since) {
    throw new InvalidParameterValue(
      `Invalid query parameter ?detail=${detail ? 'True' : 'False'} received.`,
    );
  }
  return detail;
}

const DETAIL_WITH_FIELDS = 'Can not specify ?detail=True and fields in the same request.';

export interface ListRequest {
  query: CollectionQuery;
  /** The fields each item shows. */
  fields: readonly string[];
}

/**
 * A list request's pagination, sorting, `fields` and `detail`, checked in Ironic's order and
 * with the resource's parameter style (see ParameterStyle).
 */
export function listRequest(
  resource: CompiledResource,
  req: Request,
  detailPath: boolean,
): ListRequest {
  const minor = req.apiVersion.minor;
  const parameters = resource.parameters;
  let detail: boolean;
  let query: CollectionQuery;
  if (parameters.style === 'ironic') {
    checkFieldsParameterAllowed(req, parameters.fieldsSince);
    detail = strictDetail(req, detailPath, parameters.detailSince);
    query = collectionQuery(req, {
      sortKeys: resource.sortKeys,
      defaultSortKey: 'id',
      fields: resource.allFields,
    });
    if (detailPath && query.fields) throw new InvalidParameterValue(DETAIL_WITH_FIELDS);
    checkFieldsAllowed(resource, [...(query.fields ?? []), query.sortKey], minor);
  } else {
    query = collectionQuery(req, {
      sortKeys: resource.sortKeys,
      defaultSortKey: 'id',
      fields: fieldsAt(resource, minor),
    });
    if (detailPath && (query.fields || singleQueryParam(req, 'detail') !== undefined))
      throw new InvalidParameterValue(DETAIL_WITH_FIELDS);
    detail = detailPath || query.detail;
  }
  const fields = detail
    ? fieldsAt(resource, minor)
    : query.fields
      ? [...new Set([...query.fields, 'links'])]
      : listFieldsAt(resource, minor);
  return { query, fields };
}

/** `?fields=` of a single resource, in the resource's parameter style (see ParameterStyle). */
export function showFields(resource: CompiledResource, req: Request): readonly string[] {
  const minor = req.apiVersion.minor;
  const text = singleQueryParam(req, 'fields');
  if (text === undefined) return fieldsAt(resource, minor);
  const parameters = resource.parameters;
  if (parameters.style === 'lenient') {
    const { fields } = collectionQuery(req, {
      sortKeys: ['id'],
      defaultSortKey: 'id',
      fields: fieldsAt(resource, minor),
    });
    return [...new Set([...fields!, 'links'])];
  }
  // Ironic's order: the microversion first, then the names.
  checkFieldsParameterAllowed(req, parameters.fieldsSince);
  const fields = [
    ...new Set(
      text
        .split(',')
        .map((f) => f.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  checkFieldsAllowed(resource, fields, minor);
  const bad = fields.filter((f) => !resource.allFields.includes(f));
  if (bad.length) throw new InvalidParameterValue(`Field(s) "${bad.join(', ')}" are not valid`);
  return [...new Set([...fields, 'links'])];
}

/** The marker of a page, as its UUID; `undefined` when there is none. */
export function markerArgument(marker: string | undefined): string | undefined {
  return marker === undefined ? undefined : uuidArgument('marker', marker).toLowerCase();
}

/** The error for a marker that names no resource, in the resource's parameter style. */
export function markerNotFound(resource: CompiledResource, marker: string): Error {
  return resource.parameters.style === 'ironic'
    ? resource.notFound(marker)
    : new InvalidParameterValue(`Marker ${marker} does not exist.`);
}

/** Filter values by filter name. */
export type DeclaredFilters = Readonly<Record<string, string | boolean>>;

/** The declared filters a list request gives, each parsed by its kind. */
export function declaredFilters(resource: CompiledResource, req: Request): DeclaredFilters {
  const filters: Record<string, string | boolean> = {};
  for (const [name, filter] of Object.entries(resource.filters ?? {})) {
    if (filter.since !== undefined && req.apiVersion.minor < filter.since) continue;
    const text = singleQueryParam(req, name);
    if (text === undefined) continue;
    if (filter.kind === 'uuid') filters[name] = uuidArgument(name, text).toLowerCase();
    else if (filter.kind === 'boolean') filters[name] = booleanArgument(name, text);
    else filters[name] = text;
  }
  return filters;
}
