import { RUNBOOK_SORT_KEYS } from '@galvanic/db';
import { RunbookNotFound } from '@galvanic/errors';
import { compileResource } from '../../resources/declaration';
import { MINOR_112_RUNBOOK_TRAITS, MINOR_92_RUNBOOKS } from '../../resources/versions';

const since = MINOR_92_RUNBOOKS;
const nullableFlag = ['boolean', 'null'] as const;

/** Ironic's runbooks (1.92): named steps for manual cleaning or servicing; traits from 1.112. */
export const RUNBOOK_RESOURCE = compileResource({
  collection: 'runbooks',
  singular: 'runbook',
  fields: {
    uuid: { since, write: 'create', types: ['string', 'null'], uuid: true },
    name: { since, write: 'create-and-patch', types: ['string'], required: true },
    steps: { since, write: 'create-and-patch', types: ['array'], required: true },
    disable_ramdisk: { since, write: 'create-and-patch', types: nullableFlag },
    public: { since, write: 'create-and-patch', types: nullableFlag },
    owner: { since, write: 'create-and-patch', types: ['string', 'null'], maxLength: 255 },
    extra: { since, write: 'create-and-patch', types: ['object', 'null'] },
    traits: { since: MINOR_112_RUNBOOK_TRAITS },
    description: {
      since: MINOR_112_RUNBOOK_TRAITS,
      write: 'create-and-patch',
      types: ['string', 'null'],
      maxLength: 255,
    },
    created_at: { since, show: 'timestamp' },
    updated_at: { since, show: 'timestamp' },
    links: { since, show: 'links' },
  },
  defaultListFields: ['uuid', 'name'],
  sortKeys: RUNBOOK_SORT_KEYS,
  parameters: { style: 'ironic', fieldsSince: since, detailSince: since },
  notFound: (ident) => new RunbookNotFound(ident),
});
