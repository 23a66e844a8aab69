import type { Request } from 'express';
import { InvalidParameterValue } from '@galvanic/errors';
import { booleanWord } from '../resources/rules';

export interface CollectionQuery {
  limit: number;
  marker: string | undefined;
  sortKey: string;
  sortDir: 'asc' | 'desc';
  fields: string[] | undefined;
  detail: boolean;
}

/** Largest page a list returns, as Ironic's `[api] max_limit`. */
export const MAX_LIMIT = 1000;

/** A query parameter given at most once; a repeated one is refused. */
export function singleQueryParam(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidParameterValue(`Invalid value for ${name}.`);
  return value;
}

/** Ironic's pagination, sorting and field-selection parameters, checked the way Ironic checks them. */
export function collectionQuery(
  req: Request,
  options: { sortKeys: readonly string[]; defaultSortKey: string; fields: readonly string[] },
): CollectionQuery {
  const limitText = singleQueryParam(req, 'limit');
  let limit = MAX_LIMIT;
  if (limitText !== undefined) {
    const parsed = Number(limitText);
    if (!Number.isInteger(parsed))
      throw new InvalidParameterValue(`Invalid value for limit: ${limitText}`);
    if (parsed < 0) throw new InvalidParameterValue('Limit must be positive');
    limit = parsed === 0 ? MAX_LIMIT : Math.min(parsed, MAX_LIMIT);
  }
  const sortDir = (singleQueryParam(req, 'sort_dir') ?? 'asc').toLowerCase();
  if (sortDir !== 'asc' && sortDir !== 'desc') {
    throw new InvalidParameterValue(
      `Invalid sort direction: ${sortDir}. Acceptable values are 'asc' or 'desc'`,
    );
  }
  const sortKey = singleQueryParam(req, 'sort_key') ?? options.defaultSortKey;
  if (!options.sortKeys.includes(sortKey)) {
    throw new InvalidParameterValue(
      `The sort_key value "${sortKey}" is an invalid field for sorting`,
    );
  }
  const fieldsText = singleQueryParam(req, 'fields');
  const detailText = singleQueryParam(req, 'detail');
  const detail = detailText !== undefined && booleanWord(detailText) === true;
  let fields: string[] | undefined;
  if (fieldsText !== undefined) {
    if (detail)
      throw new InvalidParameterValue(
        'Can not specify ?detail=True and fields in the same request.',
      );
    fields = fieldsText
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    const bad = fields.filter((f) => !options.fields.includes(f));
    if (bad.length) throw new InvalidParameterValue(`Field(s) "${bad.join(', ')}" are not valid`);
  }
  return { limit, marker: singleQueryParam(req, 'marker'), sortKey, sortDir, fields, detail };
}

export function selectFields(
  item: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (Object.hasOwn(item, field)) out[field] = item[field];
  return out;
}

/** The `next` link of a page: the same query with the marker moved to the page's last item. */
export function nextLink(base: string, resource: string, req: Request, marker: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query)) {
    if (key !== 'marker' && typeof value === 'string') params.set(key, value);
  }
  params.set('marker', marker);
  return `${base}/v1/${resource}?${params.toString()}`;
}
