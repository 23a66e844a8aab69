import * as p from '../policy/base-rules';
import type { ResourcePolicy } from '../resources/policy';

const GET = ['GET', 'HEAD'];

/** Ironic's driver rules: operators only. */
export const DRIVER_POLICY: ResourcePolicy = {
  rules: {
    'baremetal:driver:get': p.SYSTEM_READER,
    'baremetal:driver:get_properties': p.SYSTEM_READER,
    'baremetal:driver:get_raid_logical_disk_properties': p.SYSTEM_READER,
    'baremetal:driver:vendor_passthru': p.SYSTEM_ADMIN,
  },
  routes: [
    {
      methods: '*',
      path: '/drivers/:name/vendor_passthru/*',
      rules: ['baremetal:driver:vendor_passthru'],
    },
    { methods: GET, path: '/drivers/:name/properties', rules: ['baremetal:driver:get_properties'] },
    {
      methods: GET,
      path: '/drivers/:name/raid/logical_disk_properties',
      rules: ['baremetal:driver:get_raid_logical_disk_properties'],
    },
    { methods: GET, path: '/drivers/*', rules: ['baremetal:driver:get'] },
  ],
};

/** Ironic's conductor rules: operators only. */
export const CONDUCTOR_POLICY: ResourcePolicy = {
  rules: { 'baremetal:conductor:get': p.SYSTEM_READER },
  routes: [{ methods: GET, path: '/conductors/*', rules: ['baremetal:conductor:get'] }],
};
