import type { AllocationStore, NodeFields, NodeStore } from '@galvanic/db';
import { InvalidState, NodeAssociated, NodeNotFound } from '@galvanic/errors';
import { assertCanDelete } from '@galvanic/node-states';
import { lockFence, type NodeTask } from '../nodes/task';

/** Ironic's states in which update_node may change what only idle nodes may change. */
const ALLOWED_UPDATE_STATES = ['enroll', 'inspecting', 'inspect wait', 'manageable', 'available'];

/**
 * `update_node`: the api checked the changes; they are saved under the node's lock. Removing the
 * instance of a node with an allocation deletes the allocation, as Ironic does, where the node's
 * state allows it.
 */
export async function updateNode(
  task: NodeTask,
  changes: NodeFields,
  allocations: AllocationStore,
): Promise<void> {
  const node = task.node;
  const allocationId = node.allocation_id;
  if (changes.instance_uuid !== null || allocationId === null || node.instance_uuid === null) {
    await task.save(changes);
    return;
  }
  if (!node.maintenance && !ALLOWED_UPDATE_STATES.includes(node.provision_state)) {
    throw new InvalidState(
      `Node ${node.uuid} with an allocation can not have instance_uuid removed unless it is in ` +
        `one of allowed (${ALLOWED_UPDATE_STATES.join(', ')}) states or in maintenance mode. ` +
        `Current state is '${node.provision_state}'.`,
    );
  }
  await task.save({ ...changes, allocation_id: null });
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
