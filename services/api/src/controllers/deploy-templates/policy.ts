import * as p from '../../policy/base-rules';
import { systemResourcePolicy } from '../../policy/system-resource';

/** Ironic's deploy template rules: operators only, answered with its 403 (nothing is hidden). */
export const DEPLOY_TEMPLATE_POLICY = systemResourcePolicy(
  'baremetal:deploy_template',
  'deploy_templates',
  {
    get: p.SYSTEM_READER,
    create: p.SYSTEM_ADMIN,
    delete: p.SYSTEM_ADMIN,
    update: p.SYSTEM_ADMIN,
  },
);
