import { Router, type Request } from 'express';
import Joi from 'joi';
import type { ConductorRecord, ConductorStore } from '@galvanic/db';
import { ConductorNotFound, InvalidParameterValue, NotFound } from '@galvanic/errors';
import { atLeast } from '../http/microversion';
import { MINOR_49_CONDUCTORS } from '../resources/versions';
import { baseUrl, ironicTimestamp, resourceLinks } from '../http/links';
import { methodNotAllowed } from '../http/errors';
import { collectionQuery, nextLink, selectFields } from '../http/collection';

const DEFAULT_FIELDS = ['hostname', 'conductor_group', 'alive'];
const ALL_FIELDS = [
  'hostname',
  'conductor_group',
  'alive',
  'drivers',
  'created_at',
  'updated_at',
  'links',
];
const SORT_KEYS = ['hostname', 'conductor_group', 'created_at', 'updated_at', 'id'];

function toApi(record: ConductorRecord, base: string): Record<string, unknown> {
  return {
    hostname: record.hostname,
    conductor_group: record.conductorGroup,
    alive: record.alive,
    drivers: record.drivers,
    created_at: ironicTimestamp(record.createdAt),
    updated_at: ironicTimestamp(record.updatedAt),
    links: resourceLinks(base, 'conductors', record.hostname),
  };
}

function requireConductorsApi(req: Request): void {
  if (!atLeast(req, MINOR_49_CONDUCTORS)) throw new NotFound();
}

const fieldsQuery = Joi.object({ fields: Joi.string() }).unknown(false);

/** `/v1/conductors` (microversion 1.49 and up), as `baremetal conductor list/show` read it. */
export function conductorsRouter(
  store: ConductorStore,
  publicEndpoint: string | undefined,
): Router {
  const router = Router();
  router
    .route('/')
    .get(async (req, res) => {
      requireConductorsApi(req);
      const query = collectionQuery(req, {
        sortKeys: SORT_KEYS,
        defaultSortKey: 'hostname',
        fields: ALL_FIELDS,
      });
      const base = baseUrl(req, publicEndpoint);
      let conductors = await store.list();
      conductors = sortConductors(conductors, query.sortKey, query.sortDir);
      if (query.marker !== undefined) {
        const at = conductors.findIndex((c) => c.hostname === query.marker);
        if (at < 0) throw new ConductorNotFound(query.marker);
        conductors = conductors.slice(at + 1);
      }
      const page = query.limit > 0 ? conductors.slice(0, query.limit) : conductors;
      const fields = query.detail ? ALL_FIELDS : (query.fields ?? DEFAULT_FIELDS).concat('links');
      const body: Record<string, unknown> = {
        conductors: page.map((c) => selectFields(toApi(c, base), fields)),
      };
      if (query.limit > 0 && page.length === query.limit && conductors.length > query.limit) {
        body.next = nextLink(base, 'conductors', req, page[page.length - 1]!.hostname);
      }
      res.json(body);
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/:hostname')
    .get(async (req, res) => {
      requireConductorsApi(req);
      const { value, error } = fieldsQuery.validate(req.query);
      if (error) throw new InvalidParameterValue(error.message);
      const record = await store.get(req.params.hostname!);
      if (!record) throw new ConductorNotFound(req.params.hostname!);
      const fields = value.fields
        ? parseFieldList(value.fields, ALL_FIELDS).concat('links')
        : ALL_FIELDS;
      res.json(selectFields(toApi(record, baseUrl(req, publicEndpoint)), fields));
    })
    .all(methodNotAllowed(['GET']));
  return router;
}

function parseFieldList(text: string, allowed: readonly string[]): string[] {
  const fields = text
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const bad = fields.filter((f) => !allowed.includes(f));
  if (bad.length) throw new InvalidParameterValue(`Field(s) "${bad.join(', ')}" are not valid`);
  return fields;
}

function sortConductors(
  conductors: ConductorRecord[],
  key: string,
  dir: 'asc' | 'desc',
): ConductorRecord[] {
  const value = (c: ConductorRecord): string | number => {
    switch (key) {
      case 'conductor_group':
        return c.conductorGroup;
      case 'created_at':
        return c.createdAt.getTime();
      case 'updated_at':
        return c.updatedAt.getTime();
      default:
        return c.hostname;
    }
  };
  const sign = dir === 'asc' ? 1 : -1;
  return [...conductors].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === vb) return a.hostname < b.hostname ? -sign : sign;
    return va < vb ? -sign : sign;
  });
}
