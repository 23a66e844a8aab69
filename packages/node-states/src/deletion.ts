import { InvalidState } from '@galvanic/errors';
import { ADOPT_FAILED, AVAILABLE, ENROLL, MANAGEABLE } from './states';
import type { ProvisionState } from './states';

/** States in which DELETE /v1/nodes/{node} is allowed outside maintenance, in Ironic's order. */
export const DELETE_ALLOWED_STATES: readonly ProvisionState[] = [MANAGEABLE, ENROLL, ADOPT_FAILED];

export interface DeleteOptions {
  /** Ironic's `[conductor]allow_deleting_available_nodes`, default true: adds `available`. */
  readonly allowDeletingAvailable?: boolean;
}

export function deleteAllowedStates(options: DeleteOptions = {}): readonly ProvisionState[] {
  return options.allowDeletingAvailable === false
    ? DELETE_ALLOWED_STATES
    : [...DELETE_ALLOWED_STATES, AVAILABLE];
}

/** Whether a node may be deleted. Maintenance allows any state, to let broken nodes be removed. */
export function canDelete(
  state: ProvisionState,
  maintenance: boolean,
  options: DeleteOptions = {},
): boolean {
  return maintenance || deleteAllowedStates(options).includes(state);
}

/**
 * Throws Ironic's 409 refusal when the node may not be deleted. The list of states is printed as
 * the Python tuple Ironic formats into its message.
 */
export function assertCanDelete(
  nodeUuid: string,
  state: ProvisionState,
  maintenance: boolean,
  options: DeleteOptions = {},
): void {
  if (canDelete(state, maintenance, options)) return;
  const allowed = deleteAllowedStates(options);
  throw new InvalidState(
    `Can not delete node "${nodeUuid}" while it is in provision state "${state}". ` +
      `Valid provision states to perform deletion are: "${pythonTuple(allowed)}", ` +
      'or set the node into maintenance mode',
  );
}

function pythonTuple(items: readonly string[]): string {
  const inner = items.map((item) => `'${item}'`).join(', ');
  return items.length === 1 ? `(${inner},)` : `(${inner})`;
}
