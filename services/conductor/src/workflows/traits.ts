import { InvalidParameterValue, NodeTraitNotFound } from '@galvanic/errors';
import type { NodeTask } from '../nodes/task';

/** Ironic's limit, placement's number of traits per resource provider. */
export const MAX_TRAITS_PER_NODE = 50;

/** `add_node_traits`: adds `traits`, or with `replace` makes them the node's only traits. */
export async function addNodeTraits(
  task: NodeTask,
  traits: readonly string[],
  replace: boolean,
): Promise<void> {
  const next = new Set(replace ? traits : [...task.node.traits, ...traits]);
  if (next.size > MAX_TRAITS_PER_NODE) {
    // Ironic names the node by its database id here.
    throw new InvalidParameterValue(
      `Could not modify traits for node ${task.node.id} as it would exceed the maximum number ` +
        `of traits per node (${next.size} vs. ${MAX_TRAITS_PER_NODE})`,
    );
  }
  await task.save({ traits: [...next].sort() });
}

/** `remove_node_traits`: removes `traits` (each must be the node's), or all when null. */
export async function removeNodeTraits(
  task: NodeTask,
  traits: readonly string[] | null,
): Promise<void> {
  if (traits === null) {
    await task.save({ traits: [] });
    return;
  }
  const current = new Set(task.node.traits);
  for (const trait of traits) {
    if (!current.has(trait)) throw new NodeTraitNotFound(task.node.uuid, trait);
    current.delete(trait);
  }
  await task.save({ traits: [...current].sort() });
}
