import { CHASSIS_SORT_KEYS } from '@galvanic/db';
import { ChassisNotFound } from '@galvanic/errors';
import { compileResource } from '../../resources/declaration';
import {
  MINOR_1_INITIAL_VERSION,
  MINOR_43_ENABLE_DETAIL_QUERY,
  MINOR_8_FETCHING_SUBSET_OF_FIELDS,
} from '../../resources/versions';
import { CHASSIS_POLICY } from './policy';

/** Ironic's chassis: every field there since 1.1. */
export const CHASSIS_RESOURCE = compileResource({
  policy: CHASSIS_POLICY,
  collection: 'chassis',
  singular: 'chassis',
  fields: {
    uuid: {
      since: MINOR_1_INITIAL_VERSION,
      write: 'create',
      types: ['string', 'null'],
      uuid: true,
    },
    description: {
      since: MINOR_1_INITIAL_VERSION,
      write: 'create-and-patch',
      types: ['string', 'null'],
      maxLength: 255,
    },
    extra: { since: MINOR_1_INITIAL_VERSION, write: 'create-and-patch', types: ['object', 'null'] },
    created_at: { since: MINOR_1_INITIAL_VERSION, show: 'timestamp' },
    updated_at: { since: MINOR_1_INITIAL_VERSION, show: 'timestamp' },
    links: { since: MINOR_1_INITIAL_VERSION, show: 'links' },
    nodes: { since: MINOR_1_INITIAL_VERSION, show: 'subresource-links' },
  },
  defaultListFields: ['uuid', 'description'],
  // Ironic refuses sorting by `extra`.
  sortKeys: CHASSIS_SORT_KEYS,
  parameters: {
    style: 'ironic',
    fieldsSince: MINOR_8_FETCHING_SUBSET_OF_FIELDS,
    detailSince: MINOR_43_ENABLE_DETAIL_QUERY,
  },
  notFound: (ident) => new ChassisNotFound(ident),
});
