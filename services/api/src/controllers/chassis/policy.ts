import * as p from '../../policy/base-rules';
import { systemResourcePolicy } from '../../policy/system-resource';

/** Ironic's chassis rules: operators only. */
export const CHASSIS_POLICY = systemResourcePolicy('baremetal:chassis', 'chassis', {
  get: p.SYSTEM_READER,
  create: p.SYSTEM_ADMIN,
  delete: p.SYSTEM_ADMIN,
  update: p.SYSTEM_MEMBER,
});
