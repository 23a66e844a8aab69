import { PORT_SORT_KEYS } from '@galvanic/db';
import { PortNotFound } from '@galvanic/errors';
import { compileResource } from '../../resources/declaration';
import * as v from '../../resources/versions';
import { PORT_POLICY } from './policy';

/** Ironic's port (up to 1.82): fields in the API's order, schema types in Ironic's order. */
export const PORT_RESOURCE = compileResource({
  policy: PORT_POLICY,
  collection: 'ports',
  singular: 'port',
  fields: {
    uuid: { since: v.MINOR_1_INITIAL_VERSION, write: 'create', types: ['string', 'null'] },
    address: {
      since: v.MINOR_1_INITIAL_VERSION,
      write: 'create-and-patch',
      types: ['string'],
      required: true,
    },
    node_uuid: {
      since: v.MINOR_1_INITIAL_VERSION,
      write: 'create-and-patch',
      types: ['string'],
      required: true,
    },
    extra: {
      since: v.MINOR_1_INITIAL_VERSION,
      write: 'create-and-patch',
      types: ['object', 'null'],
    },
    created_at: { since: v.MINOR_1_INITIAL_VERSION, show: 'timestamp' },
    updated_at: { since: v.MINOR_1_INITIAL_VERSION, show: 'timestamp' },
    links: { since: v.MINOR_1_INITIAL_VERSION, show: 'links' },
    internal_info: { since: v.MINOR_18_PORT_INTERNAL_INFO },
    local_link_connection: {
      since: v.MINOR_19_PORT_ADVANCED_NET_FIELDS,
      write: 'create-and-patch',
      types: ['null', 'object'],
    },
    pxe_enabled: {
      since: v.MINOR_19_PORT_ADVANCED_NET_FIELDS,
      write: 'create-and-patch',
      types: ['string', 'boolean', 'null'],
    },
    // Galvanic has no port groups: always null, and any port group named is not found.
    portgroup_uuid: {
      since: v.MINOR_24_PORTGROUPS_SUBRESOURCES,
      show: 'computed',
      write: 'create-and-patch',
      types: ['string', 'null'],
    },
    physical_network: {
      since: v.MINOR_34_PORT_PHYSICAL_NETWORK,
      write: 'create-and-patch',
      types: ['string', 'null'],
      maxLength: 64,
    },
    is_smartnic: {
      since: v.MINOR_53_PORT_SMARTNIC,
      write: 'create-and-patch',
      types: ['string', 'boolean', 'null'],
    },
  },
  defaultListFields: ['uuid', 'address', 'links'],
  sortKeys: PORT_SORT_KEYS,
  parameters: {
    style: 'ironic',
    fieldsSince: v.MINOR_8_FETCHING_SUBSET_OF_FIELDS,
    detailSince: v.MINOR_43_ENABLE_DETAIL_QUERY,
  },
  notFound: (ident) => new PortNotFound(ident),
});
