import * as p from '../../policy/base-rules';
import { systemResourcePolicy } from '../../policy/system-resource';

/** Ironic's inspection rule rules: operators only, answered with its 403 (nothing is hidden). */
export const INSPECTION_RULE_POLICY = systemResourcePolicy(
  'baremetal:inspection_rule',
  'inspection_rules',
  {
    get: p.SYSTEM_READER,
    create: p.SYSTEM_ADMIN,
    delete: p.SYSTEM_ADMIN,
    update: p.SYSTEM_ADMIN,
  },
);
