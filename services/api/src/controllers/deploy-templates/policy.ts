import * as p from '../../policy/base-rules';
import type { ResourcePolicy } from '../../resources/policy';

const GET = ['GET', 'HEAD'];

/** Ironic's deploy template rules: operators only, answered with its 403 (nothing is hidden). */
export const DEPLOY_TEMPLATE_POLICY: ResourcePolicy = {
  rules: {
    'baremetal:deploy_template:get': p.SYSTEM_READER,
    'baremetal:deploy_template:create': p.SYSTEM_ADMIN,
    'baremetal:deploy_template:delete': p.SYSTEM_ADMIN,
    'baremetal:deploy_template:update': p.SYSTEM_ADMIN,
  },
  routes: [
    { methods: GET, path: '/deploy_templates/*', rules: ['baremetal:deploy_template:get'] },
    { methods: ['POST'], path: '/deploy_templates', rules: ['baremetal:deploy_template:create'] },
    {
      methods: ['PATCH'],
      path: '/deploy_templates/:ident',
      rules: ['baremetal:deploy_template:update'],
    },
    {
      methods: ['DELETE'],
      path: '/deploy_templates/:ident',
      rules: ['baremetal:deploy_template:delete'],
    },
  ],
};
