/**
 * The driver_internal_info keys of a node's agent, Ironic's names: the token the agent got at
 * lookup, and what its heartbeats told.
 */
export const AGENT_TOKEN_KEY = 'agent_secret_token';
export const AGENT_URL_KEY = 'agent_url';
export const AGENT_VERSION_KEY = 'agent_version';
export const AGENT_VERIFY_CA_KEY = 'agent_verify_ca';
export const AGENT_LAST_HEARTBEAT_KEY = 'agent_last_heartbeat';

/** Forgets the node's agent (its token and address): the ramdisk is done, no agent may call. */
export function forgetAgent(internal: Record<string, unknown>): void {
  for (const key of [
    AGENT_TOKEN_KEY,
    AGENT_URL_KEY,
    AGENT_VERSION_KEY,
    AGENT_VERIFY_CA_KEY,
    AGENT_LAST_HEARTBEAT_KEY,
  ]) {
    delete internal[key];
  }
}
