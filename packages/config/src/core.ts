import {
  apiOptions,
  conductorOptions,
  databaseOptions,
  defaultOptions,
  keystoneAuthtokenOptions,
  osloMessagingRabbitOptions,
  osloPolicyOptions,
  deployOptions,
  rpcOptions,
  sslOptions,
} from './groups';
import type { GroupValues } from './options';
import { resolveGroup } from './load';
import type { RawConfig } from './sources';

/** The options every Galvanic service reads. */
export interface CoreConfig {
  readonly DEFAULT: GroupValues<typeof defaultOptions.options>;
  readonly api: GroupValues<typeof apiOptions.options>;
  readonly conductor: GroupValues<typeof conductorOptions.options>;
  readonly database: GroupValues<typeof databaseOptions.options>;
  readonly rpc: GroupValues<typeof rpcOptions.options>;
  readonly ssl: GroupValues<typeof sslOptions.options>;
  readonly keystone_authtoken: GroupValues<typeof keystoneAuthtokenOptions.options>;
  readonly oslo_policy: GroupValues<typeof osloPolicyOptions.options>;
  readonly oslo_messaging_rabbit: GroupValues<typeof osloMessagingRabbitOptions.options>;
  readonly deploy: GroupValues<typeof deployOptions.options>;
}

export function resolveCoreConfig(raw: RawConfig): CoreConfig {
  return {
    DEFAULT: resolveGroup(raw, defaultOptions),
    api: resolveGroup(raw, apiOptions),
    conductor: resolveGroup(raw, conductorOptions),
    database: resolveGroup(raw, databaseOptions),
    rpc: resolveGroup(raw, rpcOptions),
    ssl: resolveGroup(raw, sslOptions),
    keystone_authtoken: resolveGroup(raw, keystoneAuthtokenOptions),
    oslo_policy: resolveGroup(raw, osloPolicyOptions),
    oslo_messaging_rabbit: resolveGroup(raw, osloMessagingRabbitOptions),
    deploy: resolveGroup(raw, deployOptions),
  };
}
