import { defineOptionGroup, opt } from '@galvanic/driver-sdk';

/** `[redfish]` in galvanic.yaml / galvanic.conf, or `GALVANIC_REDFISH__<OPTION>` in the environment. */
export const redfishOptions = defineOptionGroup('redfish', {
  auth_type: opt.string(
    'auto',
    'Redfish HTTP authentication for nodes whose driver_info has no redfish_auth_type: "basic", ' +
      '"session" or "auto" (a session when the BMC offers SessionService, else basic).',
  ),
  connection_attempts: opt.integer(
    5,
    'Attempts of one Redfish operation while the BMC cannot be reached or answers 503 ' +
      '(service temporarily unavailable). A request the BMC may have acted on is never repeated.',
    { min: 1, max: 100 },
  ),
  connection_retry_interval: opt.number(4, 'Seconds between those attempts.', { min: 0 }),
  connection_cache_size: opt.integer(
    1000,
    'Redfish clients (one per BMC address, user, auth type and CA) a conductor keeps open; the ' +
      'least recently used is closed beyond this.',
    { min: 1 },
  ),
  request_timeout: opt.number(
    60,
    'Seconds one HTTP request to a BMC may take before it counts as failed.',
    { min: 0.1 },
  ),
  max_in_flight: opt.integer(
    4,
    'Requests on the wire to one BMC (address) at once; more wait their turn.',
    { min: 1, max: 256 },
  ),
  power_state_poll_interval: opt.number(
    0.5,
    'Longest wait, in seconds, between two PowerState reads while a power action waits for the ' +
      'System to report the new state (the first reads come sooner).',
    { min: 0.01 },
  ),
  bios_settings_apply_timeout: opt.number(
    600,
    'Seconds apply_configuration and factory_reset wait, after the reboot, for the BMC to report ' +
      'the new BIOS attributes.',
    { min: 1 },
  ),
});
