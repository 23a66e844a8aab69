import { PORTGROUP_SORT_KEYS } from '@galvanic/db';
import { PortgroupNotFound } from '@galvanic/errors';
import { compileResource } from '../../resources/declaration';
import * as v from '../../resources/versions';
import { PORTGROUP_POLICY } from './policy';

/** Ironic's port group (1.23 on): fields in the API's order, schema types in Ironic's order. */
export const PORTGROUP_RESOURCE = compileResource({
  policy: PORTGROUP_POLICY,
  collection: 'portgroups',
  singular: 'portgroup',
  fields: {
    uuid: { since: v.MINOR_23_PORTGROUPS, write: 'create', types: ['string', 'null'] },
    address: {
      since: v.MINOR_23_PORTGROUPS,
      write: 'create-and-patch',
      types: ['string', 'null'],
    },
    name: { since: v.MINOR_23_PORTGROUPS, write: 'create-and-patch', types: ['string', 'null'] },
    node_uuid: {
      since: v.MINOR_23_PORTGROUPS,
      write: 'create-and-patch',
      types: ['string'],
      required: true,
    },
    standalone_ports_supported: {
      since: v.MINOR_23_PORTGROUPS,
      write: 'create-and-patch',
      types: ['string', 'boolean', 'null'],
    },
    internal_info: { since: v.MINOR_23_PORTGROUPS },
    extra: { since: v.MINOR_23_PORTGROUPS, write: 'create-and-patch', types: ['object', 'null'] },
    mode: {
      since: v.MINOR_26_PORTGROUP_MODE_PROPERTIES,
      write: 'create-and-patch',
      types: ['string', 'null'],
    },
    properties: {
      since: v.MINOR_26_PORTGROUP_MODE_PROPERTIES,
      write: 'create-and-patch',
      types: ['object', 'null'],
    },
    physical_network: {
      since: v.MINOR_102_PORTGROUP_PHYSICAL_NETWORK,
      write: 'create-and-patch',
      types: ['string', 'null'],
      maxLength: 64,
    },
    category: {
      since: v.MINOR_103_PORTGROUP_CATEGORY,
      write: 'create-and-patch',
      types: ['string', 'null'],
      maxLength: 80,
    },
    dynamic_portgroup: { since: v.MINOR_111_DYNAMIC_PORTGROUP },
    created_at: { since: v.MINOR_23_PORTGROUPS, show: 'timestamp' },
    updated_at: { since: v.MINOR_23_PORTGROUPS, show: 'timestamp' },
    links: { since: v.MINOR_23_PORTGROUPS, show: 'links' },
    ports: { since: v.MINOR_23_PORTGROUPS, show: 'subresource-links' },
  },
  defaultListFields: ['uuid', 'address', 'name'],
  sortKeys: PORTGROUP_SORT_KEYS,
  parameters: {
    style: 'ironic',
    fieldsSince: v.MINOR_23_PORTGROUPS,
    detailSince: v.MINOR_43_ENABLE_DETAIL_QUERY,
  },
  notFound: (ident) => new PortgroupNotFound(ident),
});
