/**
 * The paths (under /v1) a deploy ramdisk's agent calls. As in Ironic they take no operator
 * credentials (the agent proves itself with its agent token instead), so authentication must
 * leave them out; they have a rate limit of their own.
 */
export const AGENT_ENDPOINTS = [
  '/lookup',
  '/heartbeat/:node_ident',
  '/continue_inspection',
] as const;

/** Provision states whose node expects an agent to look it up (Ironic's LOOKUP_ALLOWED_STATES). */
export const LOOKUP_ALLOWED_STATES: ReadonlySet<string> = new Set([
  'deploying',
  'wait call-back',
  'cleaning',
  'clean wait',
  'inspecting',
  'inspect wait',
  'rescuing',
  'rescue wait',
]);
