import { DEPLOY_TEMPLATE_SORT_KEYS } from '@galvanic/db';
import { DeployTemplateNotFound } from '@galvanic/errors';
import { compileResource } from '../../resources/declaration';
import { MINOR_55_DEPLOY_TEMPLATES } from '../../resources/versions';
import { DEPLOY_TEMPLATE_POLICY } from './policy';

const since = MINOR_55_DEPLOY_TEMPLATES;

/** Ironic's deploy templates (1.55): a trait as name, and deploy steps. */
export const DEPLOY_TEMPLATE_RESOURCE = compileResource({
  collection: 'deploy_templates',
  singular: 'deploy_template',
  policy: DEPLOY_TEMPLATE_POLICY,
  fields: {
    uuid: { since, write: 'create', types: ['string', 'null'], uuid: true },
    name: { since, write: 'create-and-patch', types: ['string'], required: true },
    steps: { since, write: 'create-and-patch', types: ['array'], required: true },
    extra: { since, write: 'create-and-patch', types: ['object', 'null'] },
    created_at: { since, show: 'timestamp' },
    updated_at: { since, show: 'timestamp' },
    links: { since, show: 'links' },
  },
  defaultListFields: ['uuid', 'name'],
  sortKeys: DEPLOY_TEMPLATE_SORT_KEYS,
  parameters: { style: 'ironic', fieldsSince: since, detailSince: since },
  notFound: (ident) => new DeployTemplateNotFound(ident),
});
