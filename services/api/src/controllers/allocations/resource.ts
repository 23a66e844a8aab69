import { ALLOCATION_SORT_KEYS } from '@galvanic/db';
import { AllocationNotFound } from '@galvanic/errors';
import { compileResource, type JsonType } from '../../resources/declaration';
import {
  MINOR_52_ALLOCATION,
  MINOR_57_ALLOCATION_UPDATE,
  MINOR_60_ALLOCATION_OWNER,
} from '../../resources/versions';
import { ALLOCATION_POLICY } from './policy';

const nullableText: readonly JsonType[] = ['string', 'null'];
const nullableList: readonly JsonType[] = ['array', 'null'];

/** Ironic's allocations (1.52), with `name` and `extra` patchable from 1.57 and `owner` from 1.60. */
export const ALLOCATION_RESOURCE = compileResource({
  collection: 'allocations',
  singular: 'allocation',
  policy: ALLOCATION_POLICY,
  fields: {
    uuid: { since: MINOR_52_ALLOCATION, write: 'create', types: nullableText, uuid: true },
    name: { since: MINOR_52_ALLOCATION, write: 'create-and-patch', types: nullableText },
    node_uuid: { since: MINOR_52_ALLOCATION, show: 'computed' },
    state: { since: MINOR_52_ALLOCATION },
    last_error: { since: MINOR_52_ALLOCATION },
    resource_class: {
      since: MINOR_52_ALLOCATION,
      write: 'create',
      types: nullableText,
      maxLength: 80,
    },
    candidate_nodes: { since: MINOR_52_ALLOCATION, write: 'create', types: nullableList },
    traits: { since: MINOR_52_ALLOCATION, write: 'create', types: nullableList },
    extra: { since: MINOR_52_ALLOCATION, write: 'create-and-patch', types: ['object', 'null'] },
    owner: { since: MINOR_60_ALLOCATION_OWNER, write: 'create', types: nullableText },
    created_at: { since: MINOR_52_ALLOCATION, show: 'timestamp' },
    updated_at: { since: MINOR_52_ALLOCATION, show: 'timestamp' },
    links: { since: MINOR_52_ALLOCATION, show: 'links' },
  },
  // Ironic lists allocations with all their fields.
  defaultListFields: [
    'uuid',
    'name',
    'node_uuid',
    'state',
    'last_error',
    'resource_class',
    'candidate_nodes',
    'traits',
    'extra',
    'owner',
    'created_at',
    'updated_at',
  ],
  sortKeys: ALLOCATION_SORT_KEYS,
  filters: {
    resource_class: { kind: 'text' },
    state: { kind: 'text' },
  },
  parameters: {
    style: 'ironic',
    fieldsSince: MINOR_52_ALLOCATION,
    detailSince: MINOR_52_ALLOCATION,
  },
  notFound: (ident) => new AllocationNotFound(ident),
});

/** The version from which PATCH is allowed. */
export const ALLOCATION_PATCH_SINCE = MINOR_57_ALLOCATION_UPDATE;
