import { VOLUME_CONNECTOR_SORT_KEYS, VOLUME_TARGET_SORT_KEYS } from '@galvanic/db';
import { VolumeConnectorNotFound, VolumeTargetNotFound } from '@galvanic/errors';
import { compileResource, type ParameterStyle } from '../../resources/declaration';
import { MINOR_32_VOLUME } from '../../resources/versions';
import { VOLUME_POLICY } from './policy';

/** Volume resources take `fields` and `?detail` from their first microversion. */
const PARAMETERS: ParameterStyle = {
  style: 'ironic',
  fieldsSince: MINOR_32_VOLUME,
  detailSince: MINOR_32_VOLUME,
};

const COMMON = {
  uuid: { since: MINOR_32_VOLUME, write: 'create', types: ['string', 'null'], uuid: true },
  node_uuid: {
    since: MINOR_32_VOLUME,
    write: 'create-and-patch',
    types: ['string'],
    required: true,
    uuid: true,
  },
  extra: { since: MINOR_32_VOLUME, write: 'create-and-patch', types: ['object', 'null'] },
  created_at: { since: MINOR_32_VOLUME, show: 'timestamp' },
  updated_at: { since: MINOR_32_VOLUME, show: 'timestamp' },
  links: { since: MINOR_32_VOLUME, show: 'links' },
} as const;

/** Ironic's volume connector (1.32): how a node connects to storage (an iSCSI IQN, a WWPN...). */
export const VOLUME_CONNECTOR_RESOURCE = compileResource({
  collection: 'volume/connectors',
  itemsKey: 'connectors',
  singular: 'connector',
  policy: VOLUME_POLICY,
  fields: {
    ...COMMON,
    type: { since: MINOR_32_VOLUME, write: 'create-and-patch', types: ['string'], required: true },
    connector_id: {
      since: MINOR_32_VOLUME,
      write: 'create-and-patch',
      types: ['string'],
      required: true,
    },
  },
  defaultListFields: ['uuid', 'node_uuid', 'type', 'connector_id'],
  sortKeys: VOLUME_CONNECTOR_SORT_KEYS,
  parameters: PARAMETERS,
  notFound: (ident) => new VolumeConnectorNotFound(ident),
});

/** Ironic's volume target (1.32): a volume a node boots from or attaches. */
export const VOLUME_TARGET_RESOURCE = compileResource({
  collection: 'volume/targets',
  itemsKey: 'targets',
  singular: 'target',
  policy: VOLUME_POLICY,
  fields: {
    ...COMMON,
    volume_type: {
      since: MINOR_32_VOLUME,
      write: 'create-and-patch',
      types: ['string'],
      required: true,
    },
    properties: {
      since: MINOR_32_VOLUME,
      write: 'create-and-patch',
      types: ['object', 'null'],
    },
    boot_index: {
      since: MINOR_32_VOLUME,
      write: 'create-and-patch',
      types: ['integer'],
      required: true,
    },
    volume_id: {
      since: MINOR_32_VOLUME,
      write: 'create-and-patch',
      types: ['string'],
      required: true,
    },
  },
  defaultListFields: ['uuid', 'node_uuid', 'volume_type', 'boot_index', 'volume_id'],
  sortKeys: VOLUME_TARGET_SORT_KEYS,
  parameters: PARAMETERS,
  notFound: (ident) => new VolumeTargetNotFound(ident),
});
