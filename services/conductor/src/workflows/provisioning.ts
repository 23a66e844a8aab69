import type { ProvisionArgs } from '@galvanic/conductor-api';
import type {
  AllocationStore,
  DeployTemplateStore,
  InspectionRuleStore,
  PortStore,
} from '@galvanic/db';
import type { DriverRegistry } from '@galvanic/driver-loader';
import { NodeIsRetired } from '@galvanic/errors';
import {
  requestTransition,
  ADOPTING,
  CLEANING,
  CLEAN_FAILED,
  CLEAN_WAIT,
  DELETING,
  DEPLOY_FAILED,
  DEPLOYING,
  DEPLOY_WAIT,
  INSPECTING,
  RESCUE_FAILED,
  RESCUING,
  SERVICING,
  UNRESCUING,
  VERIFYING,
} from '@galvanic/node-states';
import type { CallOrigin, NodeTaskManager } from '../nodes/task-manager';
import type { NodeTask } from '../nodes/task';
import { adoptNode } from './adoption';
import { abortCleaning, cleanNode, resumeCleaning } from './cleaning';
import { buildConfigDrive, isConfigDriveSpec } from './configdrive';
import {
  abortDeployment,
  deployNode,
  resumeDeployment,
  tearDownNode,
  validateDeploy,
} from './deployments';
import { inspectHardware } from './inspection';
import { abortRescue, prepareRescue, rescueNode, unrescueNode } from './rescue';
import type { RescueHashAlgorithm } from '../rescue/sha-crypt';
import { serviceNode } from './servicing';
import { verifyNode } from './verification';

/**
 * Provisioning actions (`do_provisioning_action`) as Ironic's conductor runs them: the request
 * moves the node into a transient state under its lock and is answered; the workflow of that
 * state then runs and moves the node on, or into the failure state with last_error.
 */
export class ProvisioningWorkflows {
  constructor(
    private readonly tasks: NodeTaskManager,
    private readonly drivers: DriverRegistry,
    /** Where inspection records the ports it finds. */
    private readonly ports: PortStore,
    /** `[conductor] automated_clean`: for nodes whose own `automated_clean` is unset. */
    private readonly automatedCleanDefault: boolean,
    /** Where a torn-down instance's allocation is deleted. */
    private readonly allocations: AllocationStore,
    /** The deploy templates a node's instance traits select at deploy time. */
    private readonly templates: DeployTemplateStore,
    /** The rules applied to what inspection finds. */
    private readonly inspectionRules: InspectionRuleStore,
    /** `[conductor] rescue_password_hash_algorithm`. */
    private readonly rescueHashAlgorithm: RescueHashAlgorithm,
  ) {}

  async start(request: ProvisionArgs, call: CallOrigin): Promise<void> {
    await this.tasks.processEvent(
      request,
      call,
      async (task) => {
        if (request.target === 'provide' && task.node.retired) {
          throw new NodeIsRetired('providing', task.node.uuid);
        }
        const transition = requestTransition(task.provisionState, request.target, task.node.uuid, {
          maintenance: task.node.maintenance,
          currentTarget: task.targetProvisionState,
          automatedClean: this.automatedCleanOf(task),
        });
        if (transition.next === DEPLOYING) await validateDeploy(task, this.drivers, this.templates);
        if (transition.next === RESCUING) {
          await prepareRescue(task, request.rescue_password, this.rescueHashAlgorithm);
        }
        return transition;
      },
      (task) => this.runWorkflowOf(task, request),
    );
  }

  private automatedCleanOf(task: NodeTask): boolean {
    return task.node.automated_clean ?? this.automatedCleanDefault;
  }

  /** The workflow of the transient state the request moved the node into. */
  private async runWorkflowOf(task: NodeTask, request: ProvisionArgs): Promise<void> {
    const automatedClean = this.automatedCleanOf(task);
    switch (task.provisionState) {
      case VERIFYING:
        return verifyNode(task);
      case INSPECTING:
        return inspectHardware(task, this.ports, this.inspectionRules);
      case CLEANING:
        return cleanNode(task, {
          drivers: this.drivers,
          automatedClean,
          requestedSteps: request.clean_steps,
          disableRamdisk: request.disable_ramdisk ?? false,
        });
      case DEPLOYING:
        if (request.configdrive !== undefined && request.configdrive !== null) {
          // Ironic keeps the config drive in instance_info for the deploy to write, built into
          // an ISO first when it came as JSON.
          const configdrive = isConfigDriveSpec(request.configdrive)
            ? await buildConfigDrive(task.node, request.configdrive)
            : request.configdrive;
          await task.save({ instance_info: { ...task.node.instance_info, configdrive } });
        }
        return deployNode(task, this.drivers, this.templates, request.deploy_steps);
      case DELETING:
        return tearDownNode(task, this.drivers, automatedClean, this.allocations);
      case ADOPTING:
        return adoptNode(task);
      case RESCUING:
        return rescueNode(task);
      case UNRESCUING:
        return unrescueNode(task);
      case RESCUE_FAILED:
        if (request.target === 'abort') return abortRescue(task);
        return;
      case DEPLOY_FAILED:
        if (request.target === 'abort') return abortDeployment(task);
        return;
      // `unhold` hands a held run back to the conductor, which goes on with its steps at once
      // (Ironic waits for the ramdisk's next heartbeat).
      case CLEAN_WAIT:
        if (request.target === 'unhold') return resumeCleaning(task);
        return;
      case DEPLOY_WAIT:
        if (request.target === 'unhold') return resumeDeployment(task);
        return;
      case CLEAN_FAILED:
        if (request.target === 'abort') return abortCleaning(task);
        return;
      case SERVICING:
        return serviceNode(task, {
          drivers: this.drivers,
          requestedSteps: request.service_steps ?? [],
          disableRamdisk: request.disable_ramdisk ?? false,
        });
      default:
        // Stable states (manage from clean failed, abort into a failure state) need no work.
        return;
    }
  }
}
