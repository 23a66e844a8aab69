import { provisionMethod } from '@galvanic/conductor-api';
import type { CoreConfig } from '@galvanic/config';
import type {
  AllocationStore,
  DeployTemplateStore,
  InspectionRuleStore,
  PortStore,
} from '@galvanic/db';
import type { DriverRegistry } from '@galvanic/driver-loader';
import type { RpcServer } from '@galvanic/rpc';
import type { NodeTaskManager } from '../nodes/task-manager';
import { ProvisioningWorkflows } from '../workflows/provisioning';

/** `do_provisioning_action`: answered once the node moved into its transient state. */
export function registerProvisionHandler(
  rpc: RpcServer,
  tasks: NodeTaskManager,
  drivers: DriverRegistry,
  config: CoreConfig,
  ports: PortStore,
  allocations: AllocationStore,
  templates: DeployTemplateStore,
  inspectionRules: InspectionRuleStore,
): void {
  const provisioning = new ProvisioningWorkflows(
    tasks,
    drivers,
    ports,
    config.conductor.automated_clean,
    allocations,
    templates,
    inspectionRules,
    config.conductor.rescue_password_hash_algorithm,
  );
  rpc.register(provisionMethod, async (args, ctx) => {
    await provisioning.start(args, ctx);
    return {};
  });
}
