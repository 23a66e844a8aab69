/**
 * The `target` values PUT /v1/nodes/{node}/states/provision accepts, and the
 * machine events they fire. `deploy` and `undeploy` are the 1.73 aliases of `active` and `deleted`.
 */
export const PROVISION_TARGETS = [
  'active',
  'deploy',
  'rebuild',
  'deleted',
  'undeploy',
  'manage',
  'provide',
  'inspect',
  'clean',
  'abort',
  'adopt',
  'rescue',
  'unrescue',
  'service',
  'unhold',
] as const;

export type ProvisionTarget = (typeof PROVISION_TARGETS)[number];

/** Events the state machine knows. The API ones come from a request; the rest from the conductor. */
export const MACHINE_EVENTS = [
  'deploy',
  'rebuild',
  'delete',
  'manage',
  'provide',
  'inspect',
  'clean',
  'abort',
  'adopt',
  'rescue',
  'unrescue',
  'service',
  'unhold',
  'done',
  'hold',
  'fail',
  'wait',
  'resume',
] as const;

export type MachineEvent = (typeof MACHINE_EVENTS)[number];

/**
 * Events the conductor fires while it works. `clean` (deleting → cleaning, after tear-down) and
 * `manage` (cleaning → manageable, at the end of manual cleaning) share their names with API verbs
 * but on these edges only the conductor fires them.
 */
export const CONDUCTOR_EVENTS = [
  'done',
  'fail',
  'wait',
  'resume',
  'hold',
  'clean',
  'manage',
] as const;

export type ConductorEvent = (typeof CONDUCTOR_EVENTS)[number];

const EVENT_OF_TARGET: Readonly<Record<ProvisionTarget, MachineEvent>> = {
  active: 'deploy',
  deploy: 'deploy',
  rebuild: 'rebuild',
  deleted: 'delete',
  undeploy: 'delete',
  manage: 'manage',
  provide: 'provide',
  inspect: 'inspect',
  clean: 'clean',
  abort: 'abort',
  adopt: 'adopt',
  rescue: 'rescue',
  unrescue: 'unrescue',
  service: 'service',
  unhold: 'unhold',
};

/** Lowest API minor version (1.x) that accepts each target; below it Ironic answers 406. */
export const PROVISION_TARGET_MIN_MINOR: Readonly<Record<ProvisionTarget, number>> = {
  active: 1,
  rebuild: 1,
  deleted: 1,
  manage: 4,
  provide: 4,
  inspect: 6,
  abort: 13,
  clean: 15,
  adopt: 17,
  rescue: 38,
  unrescue: 38,
  deploy: 73,
  undeploy: 73,
  service: 87,
  unhold: 85,
};

/** Aborting `inspect wait` needs 1.41 on top of the 1.13 that `abort` needs anywhere. */
export const INSPECT_ABORT_MIN_MINOR = 41;

const TARGETS: ReadonlySet<string> = new Set(PROVISION_TARGETS);
const EVENTS: ReadonlySet<string> = new Set(MACHINE_EVENTS);
const CONDUCTOR: ReadonlySet<string> = new Set(CONDUCTOR_EVENTS);

export function isProvisionTarget(value: unknown): value is ProvisionTarget {
  return typeof value === 'string' && TARGETS.has(value);
}

export function isMachineEvent(value: unknown): value is MachineEvent {
  return typeof value === 'string' && EVENTS.has(value);
}

export function isConductorEvent(value: unknown): value is ConductorEvent {
  return typeof value === 'string' && CONDUCTOR.has(value);
}

export function eventForTarget(target: ProvisionTarget): MachineEvent {
  return EVENT_OF_TARGET[target];
}
