import type { ProvisionState } from './states';
import {
  ACTIVE,
  ADOPTING,
  ADOPT_FAILED,
  AVAILABLE,
  CLEANING,
  CLEAN_FAILED,
  CLEAN_HOLD,
  CLEAN_WAIT,
  DELETING,
  DEPLOYING,
  DEPLOY_FAILED,
  DEPLOY_HOLD,
  DEPLOY_WAIT,
  INSPECTING,
  INSPECT_FAILED,
  INSPECT_WAIT,
  MANAGEABLE,
  RESCUE,
  RESCUE_FAILED,
  RESCUE_WAIT,
  RESCUING,
  SERVICE_FAILED,
  SERVICE_WAIT,
  SERVICING,
  UNRESCUE_FAILED,
  UNRESCUING,
  VERIFYING,
  isStable,
} from './states';

/**
 * The `target_provision_state` Ironic shows for each non-stable state when nothing overrides it.
 * Failure states keep the target of the work that failed.
 */
export const DEFAULT_TARGETS: Readonly<Partial<Record<ProvisionState, ProvisionState>>> = {
  [VERIFYING]: MANAGEABLE,
  [DEPLOYING]: ACTIVE,
  [DEPLOY_WAIT]: ACTIVE,
  [DEPLOY_FAILED]: ACTIVE,
  [DEPLOY_HOLD]: ACTIVE,
  [CLEANING]: AVAILABLE,
  [CLEAN_WAIT]: AVAILABLE,
  [CLEAN_FAILED]: AVAILABLE,
  [CLEAN_HOLD]: AVAILABLE,
  [DELETING]: AVAILABLE,
  [INSPECTING]: MANAGEABLE,
  [INSPECT_WAIT]: MANAGEABLE,
  [INSPECT_FAILED]: MANAGEABLE,
  [ADOPTING]: ACTIVE,
  [ADOPT_FAILED]: ACTIVE,
  [RESCUING]: RESCUE,
  [RESCUE_WAIT]: RESCUE,
  [RESCUE_FAILED]: RESCUE,
  [UNRESCUING]: ACTIVE,
  [UNRESCUE_FAILED]: ACTIVE,
  [SERVICING]: ACTIVE,
  [SERVICE_WAIT]: ACTIVE,
  [SERVICE_FAILED]: ACTIVE,
};

const CLEAN_STATES: ReadonlySet<ProvisionState> = new Set<ProvisionState>([
  CLEANING,
  CLEAN_WAIT,
  CLEAN_FAILED,
  CLEAN_HOLD,
]);

export function defaultTarget(state: ProvisionState): ProvisionState | null {
  return DEFAULT_TARGETS[state] ?? null;
}

/**
 * The target shown after entering `next` while `carried` was the target. Stable states clear it.
 * Manual cleaning is the one flow whose target differs from its states' default: Ironic's conductor
 * passes `manageable` explicitly on every cleaning edge, so it survives wait, resume, fail and abort.
 */
export function targetAfter(
  next: ProvisionState,
  carried: ProvisionState | null = null,
): ProvisionState | null {
  if (isStable(next)) return null;
  if (CLEAN_STATES.has(next) && carried === MANAGEABLE) return MANAGEABLE;
  return defaultTarget(next);
}
