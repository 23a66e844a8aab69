import { defineOptionGroup, opt } from '@galvanic/driver-sdk';

/** `[agent]`: how the conductor talks to a node's agent, and how the agent finds the API. */
export const agentOptions = defineOptionGroup('agent', {
  command_timeout: opt.number(
    60,
    "Seconds one HTTP request to a node's agent may take before it is abandoned.",
    { min: 1 },
  ),
  api_url: opt.optionalString(
    "The API's URL as the deploy ramdisk reaches it, passed to the agent on its kernel command line (ipa-api-url).",
  ),
});
