import type { AllocationStore, NodeFields, NodeRow, NodeStore } from '@galvanic/db';
import {
  InvalidParameterValue,
  InvalidState,
  NodeAssociated,
  NodeNotFound,
} from '@galvanic/errors';
import { assertCanDelete } from '@galvanic/node-states';
import { lockFence, type NodeTask } from '../nodes/task';

/** Ironic's states in which update_node may change what only idle nodes may change. */
const ALLOWED_UPDATE_STATES = ['enroll', 'inspecting', 'inspect wait', 'manageable', 'available'];

/**
 * Ironic's rules for a flag with a reason (`protected`, `retired`): clearing the flag clears the
 * reason, setting it is refused in the states `refusedIn` says, and a reason needs the flag.
 */
function checkFlagWithReason(
  node: NodeRow,
  changes: NodeFields,
  flag: 'protected' | 'retired',
  refusedIn: (state: string) => string | undefined,
): void {
  const reason = `${flag}_reason` as const;
  if (Object.hasOwn(changes, flag)) {
    if (!changes[flag]) changes[reason] = null;
    else {
      const refusal = refusedIn(node.provision_state);
      if (refusal) throw new InvalidState(refusal);
    }
  }
  const flagAfter = changes[flag] ?? node[flag];
  if (Object.hasOwn(changes, reason) && changes[reason] && !flagAfter) {
    throw new InvalidParameterValue(`The ${reason} field can only be set when ${flag} is True`);
  }
}

/**
 * `update_node`: the api checked the changes' shapes; Ironic's conductor rules apply (leaving
 * maintenance clears its reason and fault; `protected` only in `active` or `rescue`; `retired`
 * never in `available`) and they are saved under the node's lock. Removing the instance of a
 * node with an allocation deletes the allocation, as Ironic does, where the node's state
 * allows it.
 */
export async function updateNode(
  task: NodeTask,
  changes: NodeFields,
  allocations: AllocationStore,
): Promise<void> {
  const node = task.node;
  const next: NodeFields = { ...changes };
  if (Object.hasOwn(next, 'maintenance') && !next.maintenance) {
    next.maintenance_reason = null;
    next.fault = null;
  }
  checkFlagWithReason(node, next, 'protected', (state) =>
    state === 'active' || state === 'rescue'
      ? undefined
      : `Node ${node.uuid} can only be made protected in provision states 'active' or ` +
        `'rescue', the current state is '${state}'`,
  );
  checkFlagWithReason(node, next, 'retired', (state) =>
    state === 'available'
      ? `Node ${node.uuid} can not have 'retired' set in provision state 'available', the ` +
        `current state is '${state}'`
      : undefined,
  );
  const allocationId = node.allocation_id;
  if (next.instance_uuid !== null || allocationId === null || node.instance_uuid === null) {
    await task.save(next);
    return;
  }
  if (!node.maintenance && !ALLOWED_UPDATE_STATES.includes(node.provision_state)) {
    throw new InvalidState(
      `Node ${node.uuid} with an allocation can not have instance_uuid removed unless it is in ` +
        `one of allowed (${ALLOWED_UPDATE_STATES.join(', ')}) states or in maintenance mode. ` +
        `Current state is '${node.provision_state}'.`,
    );
  }
  await task.save({ ...next, allocation_id: null });
  await allocations.deleteById(allocationId);
}

/**
 * `destroy_node`: refused for a node with an instance (outside maintenance), a protected node and in the states Ironic refuses it in; the
 * delete is fenced by the node's lock like every write under it.
 */
export async function destroyNode(task: NodeTask, store: NodeStore): Promise<void> {
  const node = task.node;
  // Its allocation, if any, goes with it (the foreign key cascades), as in Ironic.
  if (!node.maintenance && node.instance_uuid !== null) {
    throw new NodeAssociated(node.uuid, node.instance_uuid);
  }
  if (node.protected) {
    throw new InvalidState(
      `Node ${node.uuid} is protected and cannot be undeployed, rebuilt or deleted`,
    );
  }
  assertCanDelete(node.uuid, task.provisionState, node.maintenance);
  const lock = task.lock;
  if (!lock) throw new Error('a shared task cannot delete the node');
  if (!(await store.delete(node.id, lockFence(lock)))) throw new NodeNotFound(node.uuid);
}
