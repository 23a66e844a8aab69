import {
  changePowerStateMethod,
  destroyNodeMethod,
  getBootDeviceMethod,
  getSupportedBootDevicesMethod,
  setBootDeviceMethod,
  updateNodeMethod,
  validateNodeMethod,
  type ValidationResult,
} from '@galvanic/conductor-api';
import type { CoreConfig } from '@galvanic/config';
import type { NodeFields, NodeStore } from '@galvanic/db';
import type {
  BootDevice,
  HardwareInterface,
  ManagementInterface,
  PowerState,
} from '@galvanic/driver-sdk';
import { InvalidParameterValue, InvalidState, NodeNotFound } from '@galvanic/errors';
import { assertCanDelete, type ProvisionState } from '@galvanic/node-states';
import type { RpcServer } from '@galvanic/rpc';
import type { NodeTaskManager } from '../nodes/task-manager';
import { lockFence } from '../nodes/task';
import { startPowerAction } from '../workflows/power';

/** The kinds `GET /v1/nodes/{node}/validate` reports, in Ironic's order. */
const VALIDATED_KINDS = [
  'boot',
  'deploy',
  'management',
  'network',
  'power',
  'bios',
  'console',
  'inspect',
  'raid',
  'rescue',
  'storage',
] as const;

export function registerNodeHandlers(
  rpc: RpcServer,
  tasks: NodeTaskManager,
  store: NodeStore,
  config: CoreConfig,
): void {
  rpc.register(updateNodeMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      await task.save(args.changes as NodeFields);
      return {};
    }),
  );

  rpc.register(destroyNodeMethod, async (args, ctx) =>
    tasks.withExclusive(args, ctx, async (task) => {
      const node = task.node;
      if (node.protected) {
        throw new InvalidState(
          `Node ${node.uuid} is protected and cannot be undeployed, rebuilt or deleted`,
        );
      }
      assertCanDelete(node.uuid, node.provision_state as ProvisionState, node.maintenance);
      if (!(await store.delete(node.id, lockFence(task.lock!)))) throw new NodeNotFound(node.uuid);
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
      const management = task.interfaceOf<ManagementInterface>('management');
      await management.validate(task.context);
      const supported = await management.getSupportedBootDevices(task.context);
      if (!supported.includes(args.boot_device as BootDevice)) {
        throw new InvalidParameterValue(`Invalid boot device ${args.boot_device} specified.`);
      }
      await management.setBootDevice(task.context, args.boot_device as BootDevice, args.persistent);
      await task.save({});
      return {};
    }),
  );

  rpc.register(getBootDeviceMethod, async (args, ctx) =>
    tasks.withShared(args, ctx, async (task) => {
      const management = task.interfaceOf<ManagementInterface>('management');
      await management.validate(task.context);
      return management.getBootDevice(task.context);
    }),
  );

  rpc.register(getSupportedBootDevicesMethod, async (args, ctx) =>
    tasks.withShared(args, ctx, async (task) => {
      const management = task.interfaceOf<ManagementInterface>('management');
      return {
        supported_boot_devices: [...(await management.getSupportedBootDevices(task.context))],
      };
    }),
  );

  rpc.register(validateNodeMethod, async (args, ctx) =>
    tasks.withShared(args, ctx, async (task) => {
      const result: ValidationResult = {};
      for (const kind of VALIDATED_KINDS) {
        try {
          await task.interfaceOf<HardwareInterface>(kind).validate(task.context);
          result[kind] = { result: true };
        } catch (error) {
          result[kind] = { result: false, reason: (error as Error).message };
        }
      }
      return result;
    }),
  );
}

export type { PowerState };
