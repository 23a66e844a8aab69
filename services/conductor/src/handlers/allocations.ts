import {
  backfillAllocationMethod,
  createAllocationMethod,
  destroyAllocationMethod,
} from '@galvanic/conductor-api';
import type { AllocationRow, AllocationStore } from '@galvanic/db';
import { AllocationNotFound } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import type { RpcServer } from '@galvanic/rpc';
import type { NodeTaskManager } from '../nodes/task-manager';
import type { Allocator } from '../workflows/allocations';

/**
 * Allocation RPC. Creation answers at once and reserves a node in the background; backfilling
 * runs under the node's lock on its owner; deletion frees the node under its lock.
 */
export function registerAllocationHandlers(
  rpc: RpcServer,
  tasks: NodeTaskManager,
  allocations: AllocationStore,
  allocator: Allocator,
): void {
  rpc.register(createAllocationMethod, async (args, ctx) => {
    const allocation = await allocations.getById(args.allocation_id);
    if (!allocation) throw new AllocationNotFound(String(args.allocation_id));
    if (allocation.state === 'allocating') {
      tasks.runInBackground(ctx.requestId, 'allocation', () => allocator.allocate(allocation));
    }
    return {};
  });

  rpc.register(backfillAllocationMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      await allocator.backfill(task, args.allocation_id);
      return {};
    }),
  );

  rpc.register(destroyAllocationMethod, async (args) => {
    await allocator.destroy(args.allocation_id);
    return {};
  });
}

function processInBackground(
  tasks: NodeTaskManager,
  allocator: Allocator,
  logger: Logger,
  found: readonly AllocationRow[],
  why: string,
): void {
  for (const allocation of found) {
    logger.info(why, { allocation: allocation.uuid });
    tasks.runInBackground(why, 'allocation', () => allocator.allocate(allocation));
  }
}

/** Ironic's `_resume_allocations`: a restarted conductor finishes the allocations it had begun. */
export async function resumeAllocations(
  host: string,
  tasks: NodeTaskManager,
  allocations: AllocationStore,
  allocator: Allocator,
  logger: Logger,
): Promise<void> {
  const found = await allocations.allocatingFor(host);
  processInBackground(tasks, allocator, logger, found, 'resuming an unfinished allocation');
}

/**
 * Ironic's `_check_orphan_allocations`: allocations left allocating by a conductor that is no
 * longer alive are taken over (each by one conductor) and processed here.
 */
export async function takeOverOrphanedAllocations(
  host: string,
  liveHosts: readonly string[],
  tasks: NodeTaskManager,
  allocations: AllocationStore,
  allocator: Allocator,
  logger: Logger,
): Promise<void> {
  const found = await allocations.takeOverOrphans(host, liveHosts);
  processInBackground(tasks, allocator, logger, found, 'taking over an orphaned allocation');
}
