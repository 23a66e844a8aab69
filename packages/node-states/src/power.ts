import { Invalid, InvalidStateRequested, NotAcceptable } from '@galvanic/errors';
import { CLEANING, CLEAN_WAIT } from './states';
import type { ProvisionState } from './states';

export const POWER_ON = 'power on';
export const POWER_OFF = 'power off';
export const REBOOT = 'rebooting';
export const SOFT_POWER_OFF = 'soft power off';
export const SOFT_REBOOT = 'soft rebooting';
export const POWER_ERROR = 'error';

export const POWER_STATES = [
  POWER_ON,
  POWER_OFF,
  REBOOT,
  SOFT_POWER_OFF,
  SOFT_REBOOT,
  POWER_ERROR,
] as const;

export type PowerState = (typeof POWER_STATES)[number];

/** The `target` values PUT /v1/nodes/{node}/states/power accepts. */
export const POWER_TARGETS = [POWER_ON, POWER_OFF, REBOOT, SOFT_REBOOT, SOFT_POWER_OFF] as const;

export type PowerTarget = (typeof POWER_TARGETS)[number];

/** Soft power off, soft reboot and the `timeout` field arrived in API 1.27. */
export const SOFT_POWER_MIN_MINOR = 27;

export const POWER_TARGET_MIN_MINOR: Readonly<Record<PowerTarget, number>> = {
  [POWER_ON]: 1,
  [POWER_OFF]: 1,
  [REBOOT]: 1,
  [SOFT_REBOOT]: SOFT_POWER_MIN_MINOR,
  [SOFT_POWER_OFF]: SOFT_POWER_MIN_MINOR,
};

const TARGETS: ReadonlySet<string> = new Set(POWER_TARGETS);
const STATES: ReadonlySet<string> = new Set(POWER_STATES);

export function isPowerTarget(value: unknown): value is PowerTarget {
  return typeof value === 'string' && TARGETS.has(value);
}

export function isPowerState(value: unknown): value is PowerState {
  return typeof value === 'string' && STATES.has(value);
}

/** The target_power_state shown while a power action runs: reboots aim at on, soft off at off. */
export function targetPowerStateFor(target: PowerTarget): typeof POWER_ON | typeof POWER_OFF {
  return target === POWER_OFF || target === SOFT_POWER_OFF ? POWER_OFF : POWER_ON;
}

export interface PowerRequest {
  readonly target: string;
  /** The identifier as the client wrote it in the URL: Ironic's message repeats it, name or UUID. */
  readonly nodeIdent: string;
  readonly powerState: PowerState | null;
  readonly provisionState: ProvisionState;
  /** The request's API minor version (1.x). Omitted: the 1.27 gate is not checked. */
  readonly minor?: number;
  readonly timeout?: number | null;
}

/**
 * Validates a power request in Ironic's order: soft targets or a timeout below 1.27 (406), a
 * timeout under 1 (400), an unknown target (400, naming the power state), a node being cleaned
 * (400, naming the provision state).
 */
export function checkPowerRequest(request: PowerRequest): PowerTarget {
  const { target, nodeIdent, minor, timeout } = request;
  const soft = target === SOFT_REBOOT || target === SOFT_POWER_OFF;
  // Ironic tests the timeout for truth, so a timeout of 0 passes this gate and fails the next.
  if ((soft || Boolean(timeout)) && minor !== undefined && minor < SOFT_POWER_MIN_MINOR) {
    throw new NotAcceptable();
  }
  if (timeout !== undefined && timeout !== null && timeout < 1) {
    throw new Invalid('timeout has to be positive integer');
  }
  if (!isPowerTarget(target)) {
    // Python formats a missing power state as None.
    throw new InvalidStateRequested(target, nodeIdent, request.powerState ?? 'None');
  }
  if (request.provisionState === CLEANING || request.provisionState === CLEAN_WAIT) {
    throw new InvalidStateRequested(target, nodeIdent, request.provisionState);
  }
  return target;
}
