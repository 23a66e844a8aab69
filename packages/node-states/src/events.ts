import { InvalidState } from '@galvanic/errors';
import { AVAILABLE, CLEANING, DELETING, MANAGEABLE } from './states';
import type { ProvisionState } from './states';
import { edgeFor } from './table';
import type { ProvisionTransition } from './table';
import { targetAfter } from './targets';
import type { ConductorEvent } from './verbs';

export interface FireEventOptions {
  /** The node's target_provision_state before the event; manual cleaning carries `manageable`. */
  readonly currentTarget?: ProvisionState | null;
  /** Whether automated cleaning runs (default true); when not, tear-down ends in `available`. */
  readonly automatedClean?: boolean;
}

/**
 * Advances a node on an event the conductor fires as its work progresses (done, fail, wait,
 * resume; clean after tear-down; manage at the end of manual cleaning).
 *
 * @throws InvalidState when `current` has no conductor edge for `event`, with the state machine's
 * wording.
 */
export function fireEvent(
  current: ProvisionState,
  event: ConductorEvent,
  options: FireEventOptions = {},
): ProvisionTransition {
  const edge = edgeFor(current, event);
  if (!edge || edge.by !== 'conductor') {
    throw new InvalidState(
      `Can not transition from state '${current}' on event '${event}' (no defined transition)`,
    );
  }
  if (current === DELETING && event === 'clean' && options.automatedClean === false) {
    return { event, next: AVAILABLE, target: null };
  }
  return { event, next: edge.to, target: targetAfter(edge.to, options.currentTarget ?? null) };
}

/**
 * The event that finishes the work of `state`. Cleaning ends with `manage` when it was manual
 * (target `manageable`) and with `done` otherwise; every other state ends with `done`.
 */
export function completionEvent(
  state: ProvisionState,
  currentTarget: ProvisionState | null,
): 'done' | 'manage' {
  return state === CLEANING && currentTarget === MANAGEABLE ? 'manage' : 'done';
}
