import type { Request } from 'express';
import { InvalidParameterValue, NotAcceptable } from '@galvanic/errors';
import { collectionQuery, singleQueryParam, type CollectionQuery } from '../http/collection';
import { fieldSince, fieldsAt, type CompiledResource } from './declaration';
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
function checkFieldsParameterAllowed(resource: CompiledResource, req: Request): void {
  if (singleQueryParam(req, 'fields') !== undefined && req.apiVersion.minor < resource.gates.fields)
    throw new NotAcceptable();
}

/** `?detail=`: a boolean, refused on `/detail` itself and before its microversion. */
function detailParameter(resource: CompiledResource, req: Request, detailPath: boolean): boolean {
  const text = singleQueryParam(req, 'detail');
  if (text === undefined) return detailPath;
  const detail = booleanArgument('detail', text);
  if (detailPath || req.apiVersion.minor < resource.gates.detail) {
    throw new InvalidParameterValue(
      `Invalid query parameter ?detail=${detail ? 'True' : 'False'} received.`,
    );
  }
  return detail;
}

export interface ListRequest {
  query: CollectionQuery;
  /** The fields each item shows. */
  fields: readonly string[];
}

/**
 * A list request's pagination, sorting, `fields` and `detail`, checked in Ironic's order and
 * with its microversion gates.
 */
export function listRequest(
  resource: CompiledResource,
  req: Request,
  detailPath: boolean,
): ListRequest {
  const minor = req.apiVersion.minor;
  checkFieldsParameterAllowed(resource, req);
  const detail = detailParameter(resource, req, detailPath);
  const query = collectionQuery(req, {
    sortKeys: resource.sortKeys,
    defaultSortKey: 'id',
    fields: resource.allFields,
  });
  if (detailPath && query.fields) {
    throw new InvalidParameterValue('Can not specify ?detail=True and fields in the same request.');
  }
  checkFieldsAllowed(resource, [...(query.fields ?? []), query.sortKey], minor);
  const fields = detail
    ? fieldsAt(resource, minor)
    : [...new Set([...(query.fields ?? resource.defaultListFields), 'links'])];
  return { query, fields };
}

/** `?fields=` of a single resource, checked in Ironic's order: microversion first, then names. */
export function showFields(resource: CompiledResource, req: Request): readonly string[] {
  const minor = req.apiVersion.minor;
  const text = singleQueryParam(req, 'fields');
  if (text === undefined) return fieldsAt(resource, minor);
  checkFieldsParameterAllowed(resource, req);
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

/** The declared filters a list request gives, each parsed by its kind. */
export function declaredFilters(
  resource: CompiledResource,
  req: Request,
): Record<string, string | boolean> {
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
