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
  ENROLL,
  ERROR,
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
} from './states';
import type { MachineEvent } from './verbs';

/** Where a transition leads: the event fired, the new provision_state and target_provision_state. */
export interface ProvisionTransition {
  readonly event: MachineEvent;
  readonly next: ProvisionState;
  readonly target: ProvisionState | null;
}

/** Who fires an edge's event: an API request, or the conductor as its work progresses. */
export type EdgeSource = 'api' | 'conductor';

export interface Edge {
  readonly from: ProvisionState;
  readonly event: MachineEvent;
  readonly to: ProvisionState;
  readonly by: EdgeSource;
}

function api(from: ProvisionState, event: MachineEvent, to: ProvisionState): Edge {
  return { from, event, to, by: 'api' };
}

function conductor(from: ProvisionState, event: MachineEvent, to: ProvisionState): Edge {
  return { from, event, to, by: 'conductor' };
}

/** Ironic's provision state machine (ironic/common/state_machine.py), without `service hold`. */
export const TRANSITIONS: readonly Edge[] = [
  // enroll → manageable through verification of the power credentials
  api(ENROLL, 'manage', VERIFYING),
  conductor(VERIFYING, 'done', MANAGEABLE),
  conductor(VERIFYING, 'fail', ENROLL),

  // inspection
  api(MANAGEABLE, 'inspect', INSPECTING),
  conductor(INSPECTING, 'done', MANAGEABLE),
  conductor(INSPECTING, 'fail', INSPECT_FAILED),
  conductor(INSPECTING, 'wait', INSPECT_WAIT),
  conductor(INSPECT_WAIT, 'done', MANAGEABLE),
  conductor(INSPECT_WAIT, 'fail', INSPECT_FAILED),
  conductor(INSPECT_WAIT, 'resume', INSPECTING),
  api(INSPECT_WAIT, 'abort', INSPECT_FAILED),
  api(INSPECT_FAILED, 'manage', MANAGEABLE),
  api(INSPECT_FAILED, 'inspect', INSPECTING),

  // cleaning: automated (provide, or after tear-down) ends in available; manual in manageable
  api(MANAGEABLE, 'provide', CLEANING),
  api(MANAGEABLE, 'clean', CLEANING),
  conductor(CLEANING, 'done', AVAILABLE),
  conductor(CLEANING, 'manage', MANAGEABLE),
  conductor(CLEANING, 'fail', CLEAN_FAILED),
  conductor(CLEANING, 'wait', CLEAN_WAIT),
  conductor(CLEAN_WAIT, 'resume', CLEANING),
  conductor(CLEAN_WAIT, 'fail', CLEAN_FAILED),
  api(CLEAN_WAIT, 'abort', CLEAN_FAILED),
  api(CLEAN_FAILED, 'manage', MANAGEABLE),
  // API 1.85: a `hold` step parks cleaning; `unhold` hands it back to the conductor to go on
  conductor(CLEANING, 'hold', CLEAN_HOLD),
  conductor(CLEAN_WAIT, 'hold', CLEAN_HOLD),
  api(CLEAN_HOLD, 'unhold', CLEAN_WAIT),
  api(CLEAN_HOLD, 'abort', CLEAN_FAILED),

  api(AVAILABLE, 'manage', MANAGEABLE),

  // adoption
  api(MANAGEABLE, 'adopt', ADOPTING),
  conductor(ADOPTING, 'done', ACTIVE),
  conductor(ADOPTING, 'fail', ADOPT_FAILED),
  api(ADOPT_FAILED, 'adopt', ADOPTING),
  api(ADOPT_FAILED, 'manage', MANAGEABLE),

  // deployment
  api(AVAILABLE, 'deploy', DEPLOYING),
  conductor(DEPLOYING, 'done', ACTIVE),
  conductor(DEPLOYING, 'fail', DEPLOY_FAILED),
  conductor(DEPLOYING, 'wait', DEPLOY_WAIT),
  conductor(DEPLOY_WAIT, 'resume', DEPLOYING),
  conductor(DEPLOY_WAIT, 'fail', DEPLOY_FAILED),
  api(DEPLOY_WAIT, 'delete', DELETING),
  // API 1.110: an operator may abort a deployment waiting for its ramdisk.
  api(DEPLOY_WAIT, 'abort', DEPLOY_FAILED),
  // API 1.85: the same hold for deploy steps
  conductor(DEPLOYING, 'hold', DEPLOY_HOLD),
  conductor(DEPLOY_WAIT, 'hold', DEPLOY_HOLD),
  api(DEPLOY_HOLD, 'unhold', DEPLOY_WAIT),
  api(DEPLOY_HOLD, 'abort', DEPLOY_FAILED),
  api(DEPLOY_FAILED, 'deploy', DEPLOYING),
  api(DEPLOY_FAILED, 'rebuild', DEPLOYING),
  api(DEPLOY_FAILED, 'delete', DELETING),
  api(ACTIVE, 'rebuild', DEPLOYING),
  api(ACTIVE, 'delete', DELETING),

  // tear-down: deleting hands over to automated cleaning, or falls to error
  conductor(DELETING, 'clean', CLEANING),
  conductor(DELETING, 'fail', ERROR),
  api(ERROR, 'rebuild', DEPLOYING),
  api(ERROR, 'delete', DELETING),

  // rescue
  api(ACTIVE, 'rescue', RESCUING),
  conductor(RESCUING, 'done', RESCUE),
  conductor(RESCUING, 'fail', RESCUE_FAILED),
  conductor(RESCUING, 'wait', RESCUE_WAIT),
  conductor(RESCUE_WAIT, 'resume', RESCUING),
  conductor(RESCUE_WAIT, 'fail', RESCUE_FAILED),
  api(RESCUE_WAIT, 'abort', RESCUE_FAILED),
  api(RESCUE_WAIT, 'delete', DELETING),
  api(RESCUE, 'rescue', RESCUING),
  api(RESCUE, 'unrescue', UNRESCUING),
  api(RESCUE, 'delete', DELETING),
  api(RESCUE_FAILED, 'rescue', RESCUING),
  api(RESCUE_FAILED, 'unrescue', UNRESCUING),
  api(RESCUE_FAILED, 'delete', DELETING),
  conductor(UNRESCUING, 'done', ACTIVE),
  conductor(UNRESCUING, 'fail', UNRESCUE_FAILED),
  api(UNRESCUE_FAILED, 'rescue', RESCUING),
  api(UNRESCUE_FAILED, 'unrescue', UNRESCUING),
  api(UNRESCUE_FAILED, 'delete', DELETING),

  // servicing (1.87): steps on an active node, back to active
  api(ACTIVE, 'service', SERVICING),
  conductor(SERVICING, 'done', ACTIVE),
  conductor(SERVICING, 'fail', SERVICE_FAILED),
  conductor(SERVICING, 'wait', SERVICE_WAIT),
  conductor(SERVICE_WAIT, 'resume', SERVICING),
  conductor(SERVICE_WAIT, 'fail', SERVICE_FAILED),
  api(SERVICE_WAIT, 'abort', SERVICE_FAILED),
  api(SERVICE_WAIT, 'delete', DELETING),
  api(SERVICE_FAILED, 'service', SERVICING),
  api(SERVICE_FAILED, 'rescue', RESCUING),
  api(SERVICE_FAILED, 'abort', ACTIVE),
  api(SERVICE_FAILED, 'delete', DELETING),
];

const BY_STATE = new Map<ProvisionState, Map<MachineEvent, Edge>>();
for (const edge of TRANSITIONS) {
  let events = BY_STATE.get(edge.from);
  if (!events) {
    events = new Map();
    BY_STATE.set(edge.from, events);
  }
  events.set(edge.event, edge);
}

/** The edge `event` takes out of `state`, whoever fires it; undefined when there is none. */
export function edgeFor(state: ProvisionState, event: MachineEvent): Edge | undefined {
  return BY_STATE.get(state)?.get(event);
}

/** Ironic's `is_actionable_event`: whether the machine has an edge for `event` out of `state`. */
export function isActionable(state: ProvisionState, event: string): boolean {
  return BY_STATE.get(state)?.has(event as MachineEvent) ?? false;
}

/** Every edge out of `state`. */
export function edgesFrom(state: ProvisionState): readonly Edge[] {
  return [...(BY_STATE.get(state)?.values() ?? [])];
}
