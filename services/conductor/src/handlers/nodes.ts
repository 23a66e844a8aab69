import {
  addNodeTraitsMethod,
  removeNodeTraitsMethod,
  setTargetRaidConfigMethod,
  vifAttachMethod,
  vifDetachMethod,
  vifListMethod,
  changePowerStateMethod,
  destroyNodeMethod,
  getBootDeviceMethod,
  getSupportedBootDevicesMethod,
  getIndicatorStateMethod,
  getSupportedIndicatorsMethod,
  injectNmiMethod,
  getVirtualMediaMethod,
  attachVirtualMediaMethod,
  detachVirtualMediaMethod,
  setBootDeviceMethod,
  setIndicatorStateMethod,
  setBootModeMethod,
  updateNodeMethod,
  validateNodeMethod,
} from '@galvanic/conductor-api';
import type { CoreConfig } from '@galvanic/config';
import type { AllocationStore, NodeStore, VifStore } from '@galvanic/db';
import type { RpcServer } from '@galvanic/rpc';
import type { NodeTaskManager } from '../nodes/task-manager';
import {
  getBootDevice,
  indicatorState,
  injectNmi,
  setBootDevice,
  setIndicatorState,
  startBootModeChange,
  supportedBootDevices,
  supportedIndicators,
} from '../workflows/management';
import { destroyNode, updateNode } from '../workflows/node-records';
import { startPowerAction } from '../workflows/power';
import { setTargetRaidConfig } from '../workflows/raid';
import { addNodeTraits, removeNodeTraits } from '../workflows/traits';
import { attachVif, detachVif, listVifs } from '../workflows/vifs';
import { validateInterfaces } from '../workflows/validation';
import {
  startVirtualMediaAttach,
  startVirtualMediaDetach,
  virtualMedia,
} from '../workflows/virtual-media';

/** Node RPC: each call takes the lock it needs and runs its workflow. */
export function registerNodeHandlers(
  rpc: RpcServer,
  tasks: NodeTaskManager,
  store: NodeStore,
  config: CoreConfig,
  allocations: AllocationStore,
  vifs: VifStore,
): void {
  rpc.register(addNodeTraitsMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      await addNodeTraits(task, args.traits, args.replace);
      return {};
    }),
  );

  rpc.register(removeNodeTraitsMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      await removeNodeTraits(task, args.traits);
      return {};
    }),
  );

  rpc.register(vifListMethod, async (args, ctx) =>
    tasks.withShared(args, ctx, async (task) => ({ vifs: await listVifs(task, vifs) })),
  );

  rpc.register(vifAttachMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      await attachVif(task, vifs, args.vif_info);
      return {};
    }),
  );

  rpc.register(vifDetachMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      await detachVif(task, vifs, args.vif_id);
      return {};
    }),
  );

  rpc.register(setTargetRaidConfigMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      await setTargetRaidConfig(task, args.target_raid_config);
      return {};
    }),
  );

  rpc.register(updateNodeMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      await updateNode(task, args.changes, allocations);
      return {};
    }),
  );

  rpc.register(destroyNodeMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      await destroyNode(task, store);
      return {};
    }),
  );

  rpc.register(changePowerStateMethod, async (args, ctx) => {
    const timeoutSeconds = args.timeout ?? config.conductor.power_state_change_timeout;
    await startPowerAction(tasks, args, ctx, args.target, timeoutSeconds);
    return {};
  });

  rpc.register(setBootDeviceMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      await setBootDevice(task, args.boot_device, args.persistent);
      return {};
    }),
  );

  rpc.register(getBootDeviceMethod, async (args, ctx) =>
    tasks.withShared(args, ctx, getBootDevice),
  );

  rpc.register(getSupportedBootDevicesMethod, async (args, ctx) =>
    tasks.withShared(args, ctx, async (task) => ({
      supported_boot_devices: await supportedBootDevices(task),
    })),
  );

  rpc.register(setBootModeMethod, async (args, ctx) => {
    await startBootModeChange(tasks, args, ctx, args.boot_mode);
    return {};
  });

  rpc.register(injectNmiMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      await injectNmi(task);
      return {};
    }),
  );

  rpc.register(getSupportedIndicatorsMethod, async (args, ctx) =>
    tasks.withShared(args, ctx, supportedIndicators),
  );

  rpc.register(getIndicatorStateMethod, async (args, ctx) =>
    tasks.withShared(args, ctx, async (task) => ({
      state: await indicatorState(task, args.component, args.indicator),
    })),
  );

  rpc.register(setIndicatorStateMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      await setIndicatorState(task, args.component, args.indicator, args.state);
      return {};
    }),
  );

  rpc.register(getVirtualMediaMethod, async (args, ctx) =>
    tasks.withShared(args, ctx, virtualMedia),
  );

  rpc.register(attachVirtualMediaMethod, async (args, ctx) => {
    await startVirtualMediaAttach(tasks, args, ctx, config.deploy, args);
    return {};
  });

  rpc.register(detachVirtualMediaMethod, async (args, ctx) => {
    await startVirtualMediaDetach(tasks, args, ctx, config.deploy, args);
    return {};
  });

  rpc.register(validateNodeMethod, async (args, ctx) =>
    tasks.withShared(args, ctx, validateInterfaces),
  );
}
