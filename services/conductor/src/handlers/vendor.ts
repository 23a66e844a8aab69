import {
  driverVendorPassthruMethod,
  nodeVendorMethodsMethod,
  nodeVendorPassthruMethod,
} from '@galvanic/conductor-api';
import type { DriverRegistry } from '@galvanic/driver-loader';
import type { RpcServer } from '@galvanic/rpc';
import type { NodeTaskManager } from '../nodes/task-manager';
import { VendorPassthru } from '../workflows/vendor-passthru';

/** Node and driver vendor passthru calls, run by the one passthru dispatch. */
export function registerVendorHandlers(
  rpc: RpcServer,
  tasks: NodeTaskManager,
  drivers: DriverRegistry,
): void {
  const passthru = new VendorPassthru(tasks, drivers);
  rpc.register(nodeVendorMethodsMethod, async (args, ctx) => passthru.nodeMethods(args, ctx));
  rpc.register(nodeVendorPassthruMethod, async (args, ctx) => passthru.callNodeMethod(args, ctx));
  rpc.register(driverVendorPassthruMethod, async (args, ctx) =>
    passthru.callDriverMethod(args, ctx),
  );
}
