import { INSPECTION_RULE_SORT_KEYS } from '@galvanic/db';
import { InspectionRuleNotFound } from '@galvanic/errors';
import { compileResource } from '../../resources/declaration';
import { MINOR_96_INSPECTION_RULES } from '../../resources/versions';
import { INSPECTION_RULE_POLICY } from './policy';

const since = MINOR_96_INSPECTION_RULES;

/** Ironic's inspection rules (1.96): conditions on inspection data, and actions on the node. */
export const INSPECTION_RULE_RESOURCE = compileResource({
  collection: 'inspection_rules',
  singular: 'inspection_rule',
  fields: {
    uuid: { since, write: 'create', types: ['string', 'null'], uuid: true },
    description: {
      since,
      write: 'create-and-patch',
      types: ['string', 'null'],
      maxLength: 255,
    },
    phase: { since, write: 'create-and-patch', types: ['string', 'null'], maxLength: 16 },
    priority: { since, write: 'create-and-patch', types: ['integer'] },
    sensitive: { since, write: 'create-and-patch', types: ['boolean', 'null'] },
    conditions: { since, write: 'create-and-patch', types: ['array'], show: 'computed' },
    actions: {
      since,
      write: 'create-and-patch',
      types: ['array'],
      required: true,
      show: 'computed',
    },
    created_at: { since, show: 'timestamp' },
    updated_at: { since, show: 'timestamp' },
    links: { since, show: 'links' },
  },
  defaultListFields: ['uuid', 'priority', 'phase', 'description'],
  sortKeys: INSPECTION_RULE_SORT_KEYS,
  filters: { phase: { kind: 'text', since } },
  parameters: { style: 'ironic', fieldsSince: since, detailSince: since },
  notFound: (ident) => new InspectionRuleNotFound(ident),
  policy: INSPECTION_RULE_POLICY,
});
