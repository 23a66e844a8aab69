import {
  backfillAllocationMethod,
  createAllocationMethod,
  destroyAllocationMethod,
} from '@galvanic/conductor-api';
import type { AllocationStore } from '@galvanic/db';
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

/** Ironic's `_resume_allocations`: a restarted conductor finishes the allocations it had begun. */
export async function resumeAllocations(
  host: string,
  tasks: NodeTaskManager,
  allocations: AllocationStore,
  allocator: Allocator,
  logger: Logger,
): Promise<void> {
  for (const allocation of await allocations.allocatingFor(host)) {
    logger.info('resuming an unfinished allocation', { allocation: allocation.uuid });
    tasks.runInBackground('resume-allocations', 'allocation', () => allocator.allocate(allocation));
  }
}
