import * as p from '../../policy/base-rules';
import type { ResourcePolicy } from '../../resources/policy';

const GET = ['GET', 'HEAD'];

/** Ironic's chassis rules: operators only. */
export const CHASSIS_POLICY: ResourcePolicy = {
  rules: {
    'baremetal:chassis:get': p.SYSTEM_READER,
    'baremetal:chassis:create': p.SYSTEM_ADMIN,
    'baremetal:chassis:delete': p.SYSTEM_ADMIN,
    'baremetal:chassis:update': p.SYSTEM_MEMBER,
  },
  routes: [
    { methods: GET, path: '/chassis/*', rules: ['baremetal:chassis:get'] },
    { methods: ['POST'], path: '/chassis', rules: ['baremetal:chassis:create'] },
    { methods: ['PATCH'], path: '/chassis/:ident', rules: ['baremetal:chassis:update'] },
    { methods: ['DELETE'], path: '/chassis/:ident', rules: ['baremetal:chassis:delete'] },
  ],
};
