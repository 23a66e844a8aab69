import { defineOptionGroup, opt } from '@galvanic/driver-sdk';

/** `[ipmi]` in galvanic.yaml / galvanic.conf, or `GALVANIC_IPMI__<OPTION>` in the environment. */
export const ipmiOptions = defineOptionGroup('ipmi', {
  min_command_interval: opt.number(
    0.1,
    'Minimum seconds between the end of one IPMI command to a BMC and the start of the next. ' +
      "Ironic's default of 5 paces a new ipmitool session per command; here one session is " +
      'reused and commands to a BMC already run one at a time, so a short gap is enough.',
    { min: 0, max: 60 },
  ),
  command_retry_timeout: opt.number(
    10,
    'Seconds one IPMI command may take, retransmissions included, before it fails as a timeout; ' +
      'also how long a busy BMC is asked again. A BMC that stops answering in the middle of a ' +
      'session can take up to twice this (one fresh session is tried).',
    { min: 0.1 },
  ),
  request_timeout: opt.number(
    1,
    'Seconds to wait for the answer to one IPMI datagram before sending it again.',
    { min: 0.01 },
  ),
  session_idle_timeout: opt.number(
    30,
    'Seconds a BMC session is kept open without commands before it is closed.',
    { min: 1 },
  ),
  power_state_poll_interval: opt.number(
    0.25,
    'Seconds between chassis status reads while a power action waits for the BMC to report ' +
      'the new state.',
    { min: 0.01 },
  ),
  disable_boot_timeout: opt.boolean(
    true,
    "Before setting a boot device, disable the BMC's 60-second timeout of the boot flags. A " +
      "node's driver_info ipmi_disable_boot_timeout overrides this.",
  ),
  allow_cipher_suite_zero: opt.boolean(
    false,
    'Allow nodes to use ipmi_cipher_suite 0, which performs no authentication at all (the BMC ' +
      'accepts any password). Only for BMCs on an isolated network that offer nothing else.',
  ),
  max_sockets: opt.integer(2, 'UDP sockets this conductor shares among all the BMCs it talks to.', {
    min: 1,
    max: 64,
  }),
});
