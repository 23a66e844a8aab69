import { setTimeout as sleep } from 'node:timers/promises';
import {
  heldLockFence,
  type AllocationCandidate,
  type AllocationRow,
  type AllocationStore,
  type NodeStore,
} from '@galvanic/db';
import {
  AllocationFailed,
  AllocationNotFound,
  InvalidState,
  NodeAssociated,
  NodeLocked,
  NodeNotFound,
  TemporaryFailure,
} from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import type { NodeLocker } from '@galvanic/node-locks';
import type { NodeTask } from '../nodes/task';

/** Ironic's UPDATE_ALLOWED_STATES: where a node with a target state may lose its allocation. */
const UPDATE_ALLOWED_STATES: readonly string[] = [
  'deploy failed',
  'inspecting',
  'inspect failed',
  'inspect wait',
  'clean failed',
  'error',
  'verifying',
  'adopt failed',
  'rescue failed',
  'unrescue failed',
  'servicing',
  'service hold',
  'service failed',
];

export interface AllocatorOptions {
  allocations: AllocationStore;
  nodes: NodeStore;
  locker: NodeLocker;
  host: string;
  logger: Logger;
  /** Passes over the nodes that were locked (Ironic's `node_locked_retry_attempts`). */
  attempts: number;
  /** Between passes (Ironic's `node_locked_retry_interval`). */
  intervalMs: number;
  /** The conductor is stopping: give up between nodes. */
  signal: AbortSignal;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function hasTraits(node: { traits: readonly string[] }, wanted: readonly string[]): boolean {
  return wanted.every((trait) => node.traits.includes(trait));
}

/** A Python list as Ironic's messages print one. */
function pythonList(items: readonly string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}

/**
 * Ironic's allocation process on a conductor. A node is reserved under its exclusive advisory
 * lock, taken without waiting (a busy node is skipped and retried on the next pass, as Ironic
 * retries the whole list rather than one node): the lock keeps allocation apart from any other
 * work on the node, and the reservation itself is a fenced compare-and-set in PostgreSQL, so two
 * allocations can never take one node even across conductors.
 */
export class Allocator {
  constructor(private readonly options: AllocatorOptions) {}

  /** Processes an allocation in `allocating`; never throws, a failure is recorded on it. */
  async allocate(allocation: AllocationRow): Promise<void> {
    const { allocations, logger } = this.options;
    try {
      if (allocation.conductor_affinity !== this.options.host)
        await allocations.claim(allocation.id, this.options.host);
      const reserved = await this.reserveAny(allocation, await this.candidates(allocation));
      if (reserved) {
        logger.info('node reserved for allocation', {
          allocation: allocation.uuid,
          node: reserved.uuid,
        });
      }
    } catch (error) {
      const reason =
        error instanceof AllocationFailed
          ? error.message
          : `Unexpected exception during allocation: ${(error as Error).message}`;
      logger.warn('allocation failed', { allocation: allocation.uuid, reason });
      await allocations.fail(allocation.id, reason).catch((saveError: unknown) =>
        logger.error('could not record a failed allocation', {
          allocation: allocation.uuid,
          reason: (saveError as Error).message,
        }),
      );
    }
  }

  private async candidates(allocation: AllocationRow): Promise<AllocationCandidate[]> {
    let nodes = await this.options.allocations.candidates(allocation);
    const rc = String(allocation.resource_class);
    if (nodes.length === 0) {
      throw new AllocationFailed(
        allocation.uuid,
        allocation.candidate_nodes.length > 0
          ? `none of the requested nodes are available and match the resource class ${rc}`
          : `no available nodes match the resource class ${rc}`,
      );
    }
    if (allocation.traits.length > 0) {
      nodes = nodes.filter((node) => hasTraits(node, allocation.traits));
      if (nodes.length === 0) {
        throw new AllocationFailed(
          allocation.uuid,
          `no suitable nodes have the requested traits ${allocation.traits.join(', ')}`,
        );
      }
    }
    // Parallel allocations try the nodes in different orders; a node named like the allocation
    // goes first (Ironic 1.79).
    shuffle(nodes);
    const named = nodes.findIndex((node) => node.name !== null && node.name === allocation.name);
    if (named > 0) nodes.unshift(...nodes.splice(named, 1));
    return nodes;
  }

  /** Tries the nodes in turn, passing again over those that were locked. */
  private async reserveAny(
    allocation: AllocationRow,
    nodes: AllocationCandidate[],
  ): Promise<AllocationCandidate | undefined> {
    const { allocations, locker, attempts, intervalMs, signal, logger } = this.options;
    let remaining = nodes;
    for (let pass = 1; ; pass += 1) {
      const locked: AllocationCandidate[] = [];
      for (const node of remaining) {
        signal.throwIfAborted();
        let lock;
        try {
          lock = await locker.acquireExclusive({ id: node.id, ident: node.uuid }, 1);
        } catch (error) {
          if (!(error instanceof NodeLocked || error instanceof TemporaryFailure)) throw error;
          locked.push(node);
          continue;
        }
        try {
          const outcome = await allocations.reserve(
            allocation,
            node.id,
            heldLockFence(lock.fenceToken),
          );
          if (outcome.kind === 'reserved') return node;
          if (outcome.kind === 'gone') {
            logger.info('allocation went away while being processed', {
              allocation: allocation.uuid,
            });
            return undefined;
          }
        } finally {
          await lock.release();
        }
      }
      remaining = locked;
      if (remaining.length === 0) {
        throw new AllocationFailed(
          allocation.uuid,
          'all nodes were filtered out during reservation',
        );
      }
      if (pass >= attempts) {
        throw new AllocationFailed(
          allocation.uuid,
          `could not reserve any of ${remaining.length} suitable nodes`,
        );
      }
      await sleep(intervalMs, undefined, { signal });
    }
  }

  /**
   * Ironic's backfill, under the node's exclusive lock: the node must be active and match what
   * the allocation asks; otherwise the allocation goes to `error` and the reason is thrown.
   */
  async backfill(task: NodeTask, allocationId: number): Promise<void> {
    const { allocations } = this.options;
    const allocation = await allocations.getById(allocationId);
    if (!allocation) throw new AllocationNotFound(String(allocationId));
    try {
      if (allocation.conductor_affinity !== this.options.host)
        await allocations.claim(allocation.id, this.options.host);
      const node = task.node;
      const errors: string[] = [];
      if (node.provision_state !== 'active') {
        errors.push(
          `Node must be in the "active" state, but the current state is "${node.provision_state}"`,
        );
      }
      if (allocation.resource_class !== null && node.resource_class !== allocation.resource_class) {
        errors.push(
          `Resource class ${String(node.resource_class)} does not match the requested resource class ${allocation.resource_class}`,
        );
      }
      if (allocation.traits.length > 0 && !hasTraits(node, allocation.traits)) {
        errors.push(
          `List of traits ${pythonList(node.traits)} does not match the requested traits ${pythonList(allocation.traits)}`,
        );
      }
      if (
        allocation.candidate_nodes.length > 0 &&
        !allocation.candidate_nodes.includes(node.uuid)
      ) {
        errors.push(
          `Candidate nodes must be empty or contain the target node, but got ${pythonList(allocation.candidate_nodes)}`,
        );
      }
      if (errors.length > 0) {
        throw new AllocationFailed(
          allocation.uuid,
          `Cannot backfill an allocation for node ${node.uuid}: ${errors.join('; ')}`,
        );
      }
      const lock = task.lock;
      if (!lock) throw new Error('backfilling needs the exclusive lock');
      const done = await allocations.backfill(allocation, node, heldLockFence(lock.fenceToken));
      if (!done) {
        const current = await this.options.nodes.getById(node.id);
        if (!current) throw new NodeNotFound(node.uuid);
        throw new NodeAssociated(node.uuid, current.instance_uuid ?? String(current.allocation_id));
      }
    } catch (error) {
      await allocations.fail(allocation.id, (error as Error).message);
      throw error;
    }
  }

  /**
   * Ironic's destroy_allocation: an allocation with a node is deleted under the node's lock,
   * where the node's state allows it, freeing the node in the same transaction.
   */
  async destroy(allocationId: number): Promise<void> {
    const { allocations, locker, nodes } = this.options;
    const allocation = await allocations.getById(allocationId);
    if (!allocation) throw new AllocationNotFound(String(allocationId));
    if (allocation.node_id === null) {
      await allocations.delete(allocation);
      return;
    }
    const node = await nodes.getById(allocation.node_id);
    if (!node) throw new NodeNotFound(String(allocation.node_id));
    const lock = await locker.acquireExclusive({ id: node.id, ident: node.uuid });
    try {
      const current = await nodes.getById(node.id);
      if (current) verifyNodeForDeallocation(current, allocation.uuid);
      await allocations.delete(allocation, heldLockFence(lock.fenceToken));
    } finally {
      await lock.release();
    }
  }
}

/** Ironic's check before an allocation leaves its node. */
function verifyNodeForDeallocation(
  node: {
    uuid: string;
    maintenance: boolean;
    provision_state: string;
    target_provision_state: string | null;
  },
  allocationUuid: string,
): void {
  if (node.maintenance) return;
  if (node.target_provision_state && !UPDATE_ALLOWED_STATES.includes(node.provision_state)) {
    throw new InvalidState(
      `Cannot remove allocation ${allocationUuid} for node ${node.uuid}, because the node is in ` +
        `state ${node.provision_state} where updates are not allowed (and maintenance mode is off)`,
    );
  }
  if (node.provision_state === 'active') {
    throw new InvalidState(
      `Cannot remove allocation ${allocationUuid} for node ${node.uuid}, because the node is ` +
        'active (and maintenance mode is off)',
    );
  }
}
