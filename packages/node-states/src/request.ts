import {
  InvalidStateRequested,
  NodeInMaintenance,
  NodeLocked,
  NotAcceptable,
} from '@galvanic/errors';
import { AVAILABLE, CLEAN_HOLD, CLEAN_WAIT, INSPECT_WAIT, MANAGEABLE } from './states';
import type { ProvisionState } from './states';
import { edgeFor, isActionable } from './table';
import type { ProvisionTransition } from './table';
import { targetAfter } from './targets';
import {
  INSPECT_ABORT_MIN_MINOR,
  PROVISION_TARGET_MIN_MINOR,
  eventForTarget,
  isProvisionTarget,
} from './verbs';
import type { ProvisionTarget } from './verbs';

export interface ProvisionRequestOptions {
  /** The request's API minor version (1.x). Omitted: the microversion gates are not checked. */
  readonly minor?: number;
  /** The node's maintenance flag: deploying and rebuilding are refused in maintenance. */
  readonly maintenance?: boolean;
  /** The host holding the node's lock, if any: a refused request then answers 409 NodeLocked. */
  readonly reservation?: string | null;
  /** The node's current target_provision_state; aborting `clean wait` keeps it. */
  readonly currentTarget?: ProvisionState | null;
  /**
   * Whether automated cleaning runs for this node (default true). When it does not, Ironic's
   * conductor enters `cleaning` and fires `done` at once, so `provide` ends in `available`.
   */
  readonly automatedClean?: boolean;
}

/**
 * The answer Ironic gives to a target its machine can act on but its API does not dispatch, for
 * example `{"target": "fail"}` while the node is in `wait call-back`.
 */
export class ProvisionActionNotUnderstood extends InvalidStateRequested {
  constructor(action: string) {
    super(action, '', '');
    this.message = `The requested action "${action}" could not be understood.`;
  }
}

const PROVISIONING_TARGETS: ReadonlySet<string> = new Set<ProvisionTarget>([
  'active',
  'deploy',
  'rebuild',
]);

/**
 * Validates PUT /v1/nodes/{node}/states/provision `{"target": target}` for a node in `current` and
 * says where it leads. Checks run in Ironic's order: microversion gate (406), maintenance (400),
 * the state machine (409 when the node is locked, else 400), then the 1.41 gate on aborting
 * inspection.
 *
 * @param nodeUuid the node's UUID: Ironic names the node by UUID here even when addressed by name.
 */
export function requestTransition(
  current: ProvisionState,
  target: string,
  nodeUuid: string,
  options: ProvisionRequestOptions = {},
): ProvisionTransition {
  const { minor } = options;
  if (minor !== undefined && isProvisionTarget(target)) {
    if (minor < PROVISION_TARGET_MIN_MINOR[target]) throw new NotAcceptable();
  }
  if (options.maintenance && PROVISIONING_TARGETS.has(target)) {
    throw new NodeInMaintenance('provisioning', nodeUuid);
  }

  const event = isProvisionTarget(target) ? eventForTarget(target) : target;
  const refuse = (): never => {
    if (options.reservation) throw new NodeLocked(nodeUuid, options.reservation);
    throw new InvalidStateRequested(target, nodeUuid, current);
  };
  if (!isActionable(current, event)) return refuse();
  if (!isProvisionTarget(target)) throw new ProvisionActionNotUnderstood(target);

  const edge = edgeFor(current, eventForTarget(target));
  // Only cleaning --manage--> and deleting --clean--> get here: conductor edges whose events share
  // an API verb's name. Ironic's API lets them through to the conductor, which holds the node's lock
  // in both states; Galvanic refuses them here.
  if (!edge || edge.by !== 'api') return refuse();

  if (minor !== undefined && current === INSPECT_WAIT && edge.event === 'abort') {
    if (minor < INSPECT_ABORT_MIN_MINOR) throw new NotAcceptable();
  }

  if (edge.event === 'provide' && options.automatedClean === false) {
    return { event: edge.event, next: AVAILABLE, target: null };
  }
  // Manual cleaning aims at manageable; leaving clean wait or clean hold (abort, unhold) keeps
  // whichever cleaning was running.
  const carried =
    edge.event === 'clean'
      ? MANAGEABLE
      : current === CLEAN_WAIT || current === CLEAN_HOLD
        ? (options.currentTarget ?? null)
        : null;
  return { event: edge.event, next: edge.to, target: targetAfter(edge.to, carried) };
}
