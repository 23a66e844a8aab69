/**
 * Ironic's provision states, spelled as its API shows them in `provision_state` and
 * `target_provision_state`. The clean and deploy hold states come with API 1.85's `unhold` verb;
 * Ironic's `service hold` (entered only by its `hold` step) is left out.
 */
export const ENROLL = 'enroll';
export const VERIFYING = 'verifying';
export const MANAGEABLE = 'manageable';
export const INSPECTING = 'inspecting';
export const INSPECT_WAIT = 'inspect wait';
export const INSPECT_FAILED = 'inspect failed';
export const CLEANING = 'cleaning';
export const CLEAN_WAIT = 'clean wait';
export const CLEAN_FAILED = 'clean failed';
/** Manual or automated cleaning stopped at a `hold` step until the `unhold` verb (API 1.85). */
export const CLEAN_HOLD = 'clean hold';
export const AVAILABLE = 'available';
export const DEPLOYING = 'deploying';
export const DEPLOY_WAIT = 'wait call-back';
export const DEPLOY_FAILED = 'deploy failed';
/** A deployment stopped at a `hold` deploy step until the `unhold` verb (API 1.85). */
export const DEPLOY_HOLD = 'deploy hold';
export const ACTIVE = 'active';
export const DELETING = 'deleting';
export const ERROR = 'error';
export const ADOPTING = 'adopting';
export const ADOPT_FAILED = 'adopt failed';
export const RESCUING = 'rescuing';
export const RESCUE_WAIT = 'rescue wait';
export const RESCUE_FAILED = 'rescue failed';
export const RESCUE = 'rescue';
export const UNRESCUING = 'unrescuing';
export const UNRESCUE_FAILED = 'unrescue failed';
export const SERVICING = 'servicing';
export const SERVICE_WAIT = 'service wait';
export const SERVICE_FAILED = 'service failed';

export const PROVISION_STATES = [
  ENROLL,
  VERIFYING,
  MANAGEABLE,
  INSPECTING,
  INSPECT_WAIT,
  INSPECT_FAILED,
  CLEANING,
  CLEAN_WAIT,
  CLEAN_FAILED,
  CLEAN_HOLD,
  AVAILABLE,
  DEPLOYING,
  DEPLOY_WAIT,
  DEPLOY_FAILED,
  DEPLOY_HOLD,
  ACTIVE,
  DELETING,
  ERROR,
  ADOPTING,
  ADOPT_FAILED,
  RESCUING,
  RESCUE_WAIT,
  RESCUE_FAILED,
  RESCUE,
  UNRESCUING,
  UNRESCUE_FAILED,
  SERVICING,
  SERVICE_WAIT,
  SERVICE_FAILED,
] as const;

export type ProvisionState = (typeof PROVISION_STATES)[number];

/** States a node stays in until someone asks for something; `target_provision_state` is null. */
export const STABLE_STATES: ReadonlySet<ProvisionState> = new Set<ProvisionState>([
  ENROLL,
  MANAGEABLE,
  AVAILABLE,
  ACTIVE,
  ERROR,
  RESCUE,
]);

/** States where work is under way and the node moves on without a request (Ironic's UNSTABLE_STATES). */
export const TRANSIENT_STATES: ReadonlySet<ProvisionState> = new Set<ProvisionState>([
  DEPLOYING,
  DEPLOY_WAIT,
  CLEANING,
  CLEAN_WAIT,
  VERIFYING,
  DELETING,
  INSPECTING,
  INSPECT_WAIT,
  ADOPTING,
  RESCUING,
  RESCUE_WAIT,
  UNRESCUING,
  SERVICING,
  SERVICE_WAIT,
]);

/**
 * States that wait on the machine itself (the ramdisk's heartbeat or an out-of-band inspector).
 * No conductor holds the node's lock in them, which is why they survive a conductor's death.
 */
export const WAIT_STATES: ReadonlySet<ProvisionState> = new Set<ProvisionState>([
  DEPLOY_WAIT,
  CLEAN_WAIT,
  INSPECT_WAIT,
  RESCUE_WAIT,
  SERVICE_WAIT,
]);

/** Where failed work lands; these keep the target of the work that failed. */
export const FAILURE_STATES: ReadonlySet<ProvisionState> = new Set<ProvisionState>([
  DEPLOY_FAILED,
  CLEAN_FAILED,
  INSPECT_FAILED,
  RESCUE_FAILED,
  UNRESCUE_FAILED,
  ADOPT_FAILED,
  SERVICE_FAILED,
]);

/**
 * States where a `hold` step parked the work until the `unhold` verb (API 1.85). Like Ironic, they
 * are neither stable nor unstable: nothing moves the node on but a request, and no timeout runs.
 */
export const HOLD_STATES: ReadonlySet<ProvisionState> = new Set<ProvisionState>([
  CLEAN_HOLD,
  DEPLOY_HOLD,
]);

const ALL: ReadonlySet<string> = new Set(PROVISION_STATES);

export function isProvisionState(value: unknown): value is ProvisionState {
  return typeof value === 'string' && ALL.has(value);
}

export function isStable(state: ProvisionState): boolean {
  return STABLE_STATES.has(state);
}

export function isTransient(state: ProvisionState): boolean {
  return TRANSIENT_STATES.has(state);
}

export function isWaiting(state: ProvisionState): boolean {
  return WAIT_STATES.has(state);
}

export function isFailure(state: ProvisionState): boolean {
  return FAILURE_STATES.has(state);
}

export function isHeld(state: ProvisionState): boolean {
  return HOLD_STATES.has(state);
}
