import { PORT_SORT_KEYS } from '@galvanic/db';
import { PortNotFound } from '@galvanic/errors';
import { compileResource } from '../../resources/declaration';
import * as v from '../../resources/versions';
import { PORT_POLICY } from './policy';

/** Ironic's port: fields in the API's order, schema types in Ironic's order. */
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
    // Computed: the OVN VTEP keys show only from 1.90 to 1.104.
    local_link_connection: {
      since: v.MINOR_19_PORT_ADVANCED_NET_FIELDS,
      show: 'computed',
      write: 'create-and-patch',
      types: ['null', 'object'],
    },
    pxe_enabled: {
      since: v.MINOR_19_PORT_ADVANCED_NET_FIELDS,
      write: 'create-and-patch',
      types: ['string', 'boolean', 'null'],
    },
    portgroup_uuid: {
      since: v.MINOR_24_PORTGROUPS_SUBRESOURCES,
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
    name: { since: v.MINOR_88_PORT_NAME, write: 'create-and-patch', types: ['string', 'null'] },
    description: {
      since: v.MINOR_97_PORT_DESCRIPTION,
      write: 'create-and-patch',
      types: ['string', 'null'],
      maxLength: 255,
    },
    vendor: {
      since: v.MINOR_100_PORT_VENDOR,
      write: 'create-and-patch',
      types: ['string', 'null'],
      maxLength: 32,
    },
    category: {
      since: v.MINOR_101_PORT_CATEGORY,
      write: 'create-and-patch',
      types: ['string', 'null'],
      maxLength: 80,
    },
    available_for_dynamic_portgroup: {
      since: v.MINOR_111_DYNAMIC_PORTGROUP,
      write: 'create-and-patch',
      types: ['boolean'],
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
