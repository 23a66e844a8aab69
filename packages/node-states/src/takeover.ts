import {
  ADOPTING,
  CLEANING,
  DELETING,
  DEPLOYING,
  INSPECTING,
  RESCUING,
  SERVICING,
  UNRESCUING,
  VERIFYING,
  isWaiting,
} from './states';
import type { ProvisionState } from './states';
import { edgeFor } from './table';

/**
 * States whose work lives only in the conductor that holds the node's lock; when that conductor
 * dies the work cannot be resumed, so the node is failed (Ironic's STUCK_STATES_TREATED_AS_FAIL).
 */
export const STUCK_STATES_TREATED_AS_FAIL: ReadonlySet<ProvisionState> = new Set<ProvisionState>([
  DEPLOYING,
  CLEANING,
  VERIFYING,
  INSPECTING,
  ADOPTING,
  RESCUING,
  UNRESCUING,
  DELETING,
  SERVICING,
]);

function failEdgeTarget(state: ProvisionState): ProvisionState | null {
  return edgeFor(state, 'fail')?.to ?? null;
}

/**
 * Where a node in `state` goes when the conductor working on it is gone: the state's `fail` edge.
 * Null for the wait states, which no conductor locks and any conductor can resume when the machine
 * calls back, and for states with no work in progress.
 */
export function failureStateOnTakeover(state: ProvisionState): ProvisionState | null {
  return STUCK_STATES_TREATED_AS_FAIL.has(state) ? failEdgeTarget(state) : null;
}

/** Where a wait state goes when its callback timeout expires; null for any other state. */
export function failureStateOnTimeout(state: ProvisionState): ProvisionState | null {
  return isWaiting(state) ? failEdgeTarget(state) : null;
}
