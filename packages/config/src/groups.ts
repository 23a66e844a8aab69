import { availableParallelism, hostname } from 'node:os';
import { INTERFACE_KINDS, type InterfaceKind } from './interface-kinds';
import { deployOptions } from '@galvanic/driver-sdk';
import { defineOptionGroup, opt, type OptionSpec } from './options';

type InterfaceOptionSpecs = {
  [K in InterfaceKind as `enabled_${K}_interfaces`]: OptionSpec<readonly string[] | undefined>;
} & {
  [K in InterfaceKind as `default_${K}_interface`]: OptionSpec<string | undefined>;
};

/** `enabled_<kind>_interfaces` and `default_<kind>_interface`, Ironic's names, for every kind. */
function interfaceOptions(): InterfaceOptionSpecs {
  const options: Record<string, OptionSpec<unknown>> = {};
  for (const kind of INTERFACE_KINDS) {
    options[`enabled_${kind}_interfaces`] = opt.optionalList(
      `${kind} interface implementations a conductor loads. When unset, every installed one that an enabled hardware type supports.`,
    );
    options[`default_${kind}_interface`] = opt.optionalString(
      `${kind} interface a new node gets when it names none; when unset, the first of its hardware type's supported list that is enabled.`,
    );
  }
  return options as InterfaceOptionSpecs;
}

/** Options Ironic keeps in `[DEFAULT]`. */
export const defaultOptions = defineOptionGroup('DEFAULT', {
  host: opt.string(
    hostname(),
    'Name of this service host. Conductors register and receive RPC under it; it must be unique among live conductors.',
  ),
  transport_url: opt.string(
    'amqp://guest:guest@127.0.0.1:5672/',
    'Message broker URL (AMQP_URL).',
    {
      secret: true,
    },
  ),
  control_exchange: opt.string(
    'galvanic',
    'Namespace of every queue this deployment uses; two deployments on one broker need different values.',
  ),
  rpc_response_timeout: opt.number(60, 'Seconds an RPC caller waits for a reply.', { min: 0.001 }),
  enabled_hardware_types: opt.list(
    ['ipmi', 'redfish', 'fake-hardware', 'manual-management'],
    'Hardware types a conductor loads.',
  ),
  driver_packages: opt.list(
    [],
    'npm packages, besides the built-in ones, whose hardware types and interfaces a conductor may load (declared under "galvanic" in their package.json).',
  ),
  driver_path: opt.string(
    '.galvanic/drivers',
    'Directory where third-party driver packages are installed (`galvanic drivers install`, or npm install --prefix); conductors look for driver_packages there as well as beside themselves.',
  ),
  debug: opt.boolean(false, 'Log at debug level.'),
  auth_strategy: opt.enumeration(
    'noauth',
    ['noauth', 'http_basic', 'keystone'] as const,
    'How the API authenticates requests, as Ironic: noauth (anyone who reaches it is an administrator), http_basic (users of http_basic_auth_user_file) or keystone (tokens validated against [keystone_authtoken]).',
  ),
  http_basic_auth_user_file: opt.string(
    '/etc/galvanic/htpasswd',
    'Apache htpasswd file of the http_basic users, with bcrypt entries only (htpasswd -B); re-read when it changes.',
  ),
  ...interfaceOptions(),
});

export const apiOptions = defineOptionGroup('api', {
  host_ip: opt.string('127.0.0.1', 'Address the API listens on.'),
  port: opt.port(6385, 'Port the API listens on.'),
  public_endpoint: opt.optionalString(
    'Base URL used in links of API documents; the request host when unset.',
  ),
  max_request_body_size: opt.integer(
    114688,
    'Largest request body accepted, in bytes; a larger one is a 413.',
    {
      min: 1,
    },
  ),
  allowed_hosts: opt.list(
    [],
    'Host names (beside loopback, host_ip and this host) a request may name in its Host header to ' +
      'have links built from it when public_endpoint is unset; other requests get links to the ' +
      'address they reached.',
  ),
  rate_limit_per_client: opt.number(
    0,
    'Requests per second each client address may make to the API, per api worker; 0 turns the ' +
      'limit off. Over the limit is a 429 with Retry-After.',
    { min: 0 },
  ),
  rate_limit_burst: opt.integer(
    0,
    'Requests a client may make at once above rate_limit_per_client; 0 means twice the rate.',
    { min: 0 },
  ),
  restrict_lookup: opt.boolean(
    true,
    "Answer an agent's lookup only for nodes in states that expect an agent (deploying, cleaning, inspecting, rescuing and their waits).",
  ),
  ramdisk_heartbeat_timeout: opt.integer(
    300,
    'Seconds an agent is told it may go between heartbeats (it heartbeats more often than that).',
    { min: 1 },
  ),
  agent_rate_limit_per_client: opt.number(
    10,
    'Requests per second each client address may make to the agent endpoints (lookup, heartbeat, continue_inspection), per api worker; 0 turns the limit off.',
    { min: 0 },
  ),
  api_workers: opt.integer(
    Math.max(1, Math.min(availableParallelism(), 4)),
    'Processes serving the API on its port; the CPU count (up to 4) by default, as Ironic.',
    { min: 1 },
  ),
  enable_ssl_api: opt.boolean(
    false,
    'Serve the API over HTTPS with [ssl] cert_file and key_file, as Ironic.',
  ),
  auth_failures_per_client: opt.integer(
    10,
    'Failed http_basic logins a client address may make in auth_failure_window seconds before its further attempts are refused with 429; 0 turns the limit off.',
    { min: 0 },
  ),
  auth_failure_window: opt.number(60, 'Seconds over which failed logins are counted.', {
    min: 1,
  }),
  conductor_refresh_interval: opt.number(
    2,
    'Seconds between refreshes of the live conductor list used for routing RPC.',
    { min: 0.1 },
  ),
});

/** Ironic's `[ssl]`: the certificate and key of HTTPS servers. */
export const sslOptions = defineOptionGroup('ssl', {
  cert_file: opt.optionalString('PEM certificate (chain) the HTTPS servers present.'),
  key_file: opt.optionalString('PEM private key of cert_file.'),
});

/** keystonemiddleware's `[keystone_authtoken]`, for auth_strategy = keystone. */
export const keystoneAuthtokenOptions = defineOptionGroup('keystone_authtoken', {
  www_authenticate_uri: opt.optionalString(
    "Keystone's public endpoint, named to clients in the WWW-Authenticate header of a 401.",
  ),
  auth_url: opt.optionalString(
    'Keystone endpoint the service authenticates at and validates tokens against, e.g. http://keystone:5000/v3.',
  ),
  auth_type: opt.enumeration('password', ['password'] as const, 'How the service authenticates.'),
  username: opt.optionalString("The service user's name."),
  password: opt.optionalString("The service user's password.", { secret: true }),
  project_name: opt.optionalString('Project the service token is scoped to.'),
  user_domain_name: opt.string('Default', 'Domain of the service user.'),
  project_domain_name: opt.string('Default', 'Domain of project_name.'),
  cafile: opt.optionalString('PEM CA bundle that verifies an HTTPS Keystone.'),
  token_cache_time: opt.integer(
    300,
    'Seconds a validated token is cached (never past its expiry); -1 turns the cache off.',
    { min: -1 },
  ),
  http_connect_timeout: opt.number(10, 'Seconds a request to Keystone may take.', { min: 0.1 }),
});

/** oslo.messaging's `[oslo_messaging_rabbit]`, the broker connection's TLS. */
export const osloMessagingRabbitOptions = defineOptionGroup('oslo_messaging_rabbit', {
  ssl_ca_file: opt.optionalString(
    'PEM CA bundle that verifies the broker of an amqps:// transport_url (system CAs when unset).',
  ),
});

/** oslo.policy's `[oslo_policy]`. */
export const osloPolicyOptions = defineOptionGroup('oslo_policy', {
  policy_file: opt.optionalString(
    "YAML file of rules (Ironic's names) overriding the defaults in code; re-read when it changes.",
  ),
});

export const conductorOptions = defineOptionGroup('conductor', {
  conductor_group: opt.string('', 'Conductor group this conductor belongs to; case-insensitive.'),
  heartbeat_interval: opt.number(10, 'Seconds between heartbeats to the database.', { min: 0.1 }),
  heartbeat_timeout: opt.number(
    60,
    'Seconds after the last heartbeat at which a conductor counts as dead.',
    { min: 0.2 },
  ),
  graceful_shutdown_timeout: opt.number(
    60,
    'Seconds a stopping conductor waits for in-flight work before abandoning it.',
    { min: 0 },
  ),
  workers_pool_size: opt.integer(100, 'Most RPC requests a conductor works on at once.', {
    min: 1,
  }),
  status_host: opt.string(
    '127.0.0.1',
    'Address of the conductor status server (/healthz, /readyz, /metrics).',
  ),
  status_port: opt.port(6386, 'Port of the conductor status server; 0 picks a free one.'),
  enable_ssl_status: opt.boolean(
    false,
    'Serve the conductor status server over HTTPS with [ssl] cert_file and key_file.',
  ),
  node_locked_retry_attempts: opt.integer(
    3,
    'Attempts to take a node lock held by another task before answering 409 NodeLocked.',
    { min: 1 },
  ),
  node_locked_retry_interval: opt.number(1, 'Seconds between attempts to take a node lock.', {
    min: 0,
  }),
  power_state_change_timeout: opt.number(
    60,
    'Seconds a power action may take to reach the requested state.',
    { min: 0.1 },
  ),
  sync_power_state_interval: opt.number(
    60,
    "Seconds between syncs of this conductor's nodes' power state with their BMCs; 0 disables.",
    { min: 0 },
  ),
  sync_power_state_workers: opt.integer(8, 'BMCs a power-state sync reads at once.', { min: 1 }),
  power_state_sync_max_retries: opt.integer(
    3,
    'Power-state syncs of a node in a row that may fail (the state cannot be read, or with force_power_state_during_sync still differs) before the state found is recorded and the node put into maintenance.',
    { min: 0 },
  ),
  force_power_state_during_sync: opt.boolean(
    false,
    'Put a node back into its recorded power state instead of recording the state found.',
  ),
  sync_local_state_interval: opt.number(
    10,
    'Seconds between checks for nodes whose work died with its conductor (left locked by nobody in a transient state).',
    { min: 0.1 },
  ),
  automated_clean: opt.boolean(true, 'Clean nodes automatically on provide and undeploy.'),
  check_allocations_interval: opt.number(
    60,
    'Seconds between checks for allocations left unfinished by a conductor that died; a live conductor takes them over. 0 disables.',
    { min: 0 },
  ),
  deploy_callback_timeout: opt.number(
    1800,
    "Seconds a node may wait in 'wait call-back' for its agent before its deploy fails; 0 never.",
    { min: 0 },
  ),
  clean_callback_timeout: opt.number(
    1800,
    "Seconds a node may wait in 'clean wait' for its agent before its cleaning fails; 0 never.",
    { min: 0 },
  ),
  inspect_wait_timeout: opt.number(
    1800,
    "Seconds a node may wait in 'inspect wait' for its inventory before inspection fails; 0 never.",
    { min: 0 },
  ),
  rescue_callback_timeout: opt.number(
    1800,
    "Seconds a node may wait in 'rescue wait' for its rescue ramdisk's agent before the rescue fails; 0 never.",
    { min: 0 },
  ),
  rescue_password_hash_algorithm: opt.enumeration(
    'sha256',
    ['sha256', 'sha512'] as const,
    'The crypt(3) scheme the rescue password is hashed with before it goes to the rescue ramdisk.',
  ),
  check_provision_state_interval: opt.number(
    60,
    'Seconds between checks for nodes whose agent has not called back within its timeout; 0 disables.',
    { min: 0 },
  ),
});

export const databaseOptions = defineOptionGroup('database', {
  connection: opt.optionalString(
    'PostgreSQL URL (DATABASE_URL). All-in-one mode embeds its own when unset.',
    {
      secret: true,
    },
  ),
  max_pool_size: opt.integer(10, 'Most database connections per process for queries.', { min: 1 }),
  ssl_ca_file: opt.optionalString(
    'PEM CA bundle: connect to PostgreSQL over TLS and verify its certificate and host name with it.',
  ),
  embedded_data_dir: opt.string(
    '.galvanic/pgdata',
    'Where all-in-one mode keeps its embedded PostgreSQL data.',
  ),
});

export const rpcOptions = defineOptionGroup('rpc', {
  message_key: opt.optionalString(
    'Key (at least 32 bytes) every api and conductor of a deployment shares to authenticate RPC messages on the broker. Prefer message_key_file.',
    { secret: true },
  ),
  message_key_file: opt.optionalString(
    'File holding the RPC message key (surrounding whitespace ignored), read at start.',
  ),
  conductor_queue_wait: opt.number(
    2,
    "Seconds an api call waits for its conductor's queue when the broker finds none (as just after a broker restart, before the conductor declared it again) before failing as unreachable; 0 fails at once.",
    { min: 0 },
  ),
  insecure_unauthenticated: opt.boolean(
    false,
    'INSECURE: let split-mode services run without a message key, accepting RPC messages from anyone who can publish to the broker.',
  ),
});

/** `[deploy]` is declared by the driver SDK: boot interfaces read it as the conductor does. */
export { deployOptions };

export const coreOptionGroups = [
  defaultOptions,
  apiOptions,
  conductorOptions,
  databaseOptions,
  rpcOptions,
  sslOptions,
  keystoneAuthtokenOptions,
  osloPolicyOptions,
  osloMessagingRabbitOptions,
  deployOptions,
] as const;
