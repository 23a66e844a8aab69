import { defineOptionGroup, opt } from '@galvanic/driver-sdk';

/** `[acme]` in galvanic.yaml / galvanic.conf, or `GALVANIC_ACME__<OPTION>` in the environment. */
export const acmeOptions = defineOptionGroup('acme', {
  request_timeout: opt.number(10, 'Seconds to wait for one answer from an Acme controller.', {
    min: 0.1,
  }),
  power_timeout: opt.number(
    60,
    'Seconds a power action may take before it fails, unless the conductor gives a timeout.',
    { min: 1 },
  ),
  poll_interval: opt.number(0.5, 'Seconds between checks while a power action completes.', {
    min: 0.01,
  }),
});
