import type { NodeFields, NodeStore } from '@galvanic/db';
import { InvalidState, NodeAssociated, NodeNotFound } from '@galvanic/errors';
import { assertCanDelete } from '@galvanic/node-states';
import { lockFence, type NodeTask } from '../nodes/task';

/** `update_node`: the api checked the changes; they are saved under the node's lock. */
export async function updateNode(task: NodeTask, changes: NodeFields): Promise<void> {
  await task.save(changes);
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
